"""Benchmark: which rule for choosing k holds on data the project was not tuned on?

    python benchmarks/auto_k.py                 # 6 000 rows per data set, 3 seeds
    python benchmarks/auto_k.py --rows 20000 --seeds 1

Three rules choose k in 3–8 on the same encoded data:

- silhouette: the highest silhouette of weighted k-means (the rule before issue #14);
- stability: the largest k whose k-means refits on bootstrap resamples agree (mean pairwise
  adjusted Rand index ≥ 0.8), else the most stable k;
- bic: the lowest BIC of a latent class model for mixed answers (`segments.choosek`, the rule
  in use).

Data sets: the planted designs of `segments.planted` (3–8 groups; unequal sizes, survey
weights, questions unrelated to the groups, missing answers, categories only), the bundled
planted personas, and the two sample regions (whose rows come from five overlapping personas).
For each rule it prints the chosen k and the adjusted Rand index (ARI) of the final segments
against the planted groups; `benchmarks/AUTO_K.md` records a run.
"""

from __future__ import annotations

import argparse
import io
import time

import numpy as np
from sklearn.metrics import adjusted_rand_score, silhouette_score
from threadpoolctl import threadpool_limits

from segments.choosek import AUTO_K_RANGE, sample_rows, search_k
from segments.clustering import _dedupe, fit_segments
from segments.features import feature_columns, fit_feature_spec
from segments.io import load_citizens
from segments.kmeans import kmeans, nearest
from segments.mixture import mixed_data
from segments.planted import DESIGNS, HARD_DESIGNS, generate_design
from segments.synthetic import citizens_with_personas, generate_planted


def _load(df, extra):
    buf = io.BytesIO()
    df.to_csv(buf, index=False)
    table = load_citizens(buf.getvalue(), "data.csv", features=extra).table
    w = table["weight"].to_numpy(dtype=np.float64)
    cols = [c for g in feature_columns(table, extra).values() for c in g]
    unique, uw, gid = _dedupe(table, cols, w)
    return table, unique, uw, gid, fit_feature_spec(unique, uw, extra)


def _silhouette(X, uw, seed):
    """As before issue #14: 3 000 profiles drawn by weight, the k with the highest silhouette."""
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(X), size=min(3000, len(X)), replace=False, p=uw / uw.sum())
    scores = {}
    for k in AUTO_K_RANGE:
        labels = nearest(X[idx], kmeans(X, uw, k, seed).centers)
        if len(set(labels)) > 1:
            scores[k] = silhouette_score(X[idx], labels, random_state=seed)
    return max(scores, key=lambda k: (scores[k], -k))


def _stability(X, uw, urows, seed, resamples=8, threshold=0.8):
    idx, w, n = sample_rows(uw, urows, seed)
    rng = np.random.default_rng(seed)
    base = X[idx]
    mean_ari = {}
    for k in AUTO_K_RANGE:
        runs = []
        for r in range(resamples):
            drawn = rng.choice(len(idx), size=int(n), p=w / w.sum())
            sub, counts = np.unique(drawn, return_counts=True)
            fit = kmeans(base[sub], counts.astype(float), k, seed + r, n_init=2)
            runs.append(nearest(base, fit.centers))
        pairs = [adjusted_rand_score(a, b) for i, a in enumerate(runs) for b in runs[i + 1:]]
        mean_ari[k] = float(np.mean(pairs))
    stable = [k for k, v in mean_ari.items() if v >= threshold]
    return max(stable) if stable else max(mean_ari, key=lambda k: (mean_ari[k], -k))


def _bic(X, unique, uw, urows, spec, seed):
    return search_k(X, mixed_data(unique, spec, uw), uw, urows, spec, seed).chosen


def evaluate(name, df, truth, extra, seed):
    table, unique, uw, gid, spec = _load(df, extra)
    urows = np.bincount(gid, minlength=len(unique))
    X = spec.transform(unique)
    out = {"data": name, "planted": len(np.unique(truth))}
    for rule, choose in (("silhouette", lambda: _silhouette(X, uw, seed)),
                         ("stability", lambda: _stability(X, uw, urows, seed)),
                         ("bic", lambda: _bic(X, unique, uw, urows, spec, seed))):
        t0 = time.perf_counter()
        k = choose()
        seconds = time.perf_counter() - t0
        labels = fit_segments(table, k, seed=seed, extra_features=extra).labels
        out[rule] = (k, adjusted_rand_score(truth, labels), seconds)
    return out


def datasets(rows, seed):
    for design in DESIGNS + HARD_DESIGNS:
        df, truth = generate_design(design, rows, seed=seed)
        yield design.name, df, truth, design.extra_features
    df, truth = generate_planted(rows, seed=seed)
    yield "bundled_planted (5)", df, truth, ()
    for region, n in (("varmland", 4000), ("atvidaberg", 1500)):
        df, truth = citizens_with_personas(region, n, seed=2026)
        yield f"sample {region} (5, overlapping)", df, truth, ()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=6000)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    rules = ("silhouette", "stability", "bic")
    hits = {r: 0 for r in rules}
    exact = {r: 0 for r in rules}
    aris: dict[str, list[float]] = {r: [] for r in rules}
    total = 0
    print(f"| data | seed | planted k | {' | '.join(f'{r} k (ARI)' for r in rules)} |")
    print("|---|---|---|" + "---|" * len(rules))
    with threadpool_limits(1, user_api="blas"):
        for seed in range(args.seeds):
            for name, df, truth, extra in datasets(args.rows, seed):
                if name.startswith("sample") and seed > 0:
                    continue  # the sample regions are fixed files: one run each
                r = evaluate(name, df, truth, extra, seed)
                total += 1
                cells = []
                for rule in rules:
                    k, ari, _ = r[rule]
                    hits[rule] += abs(k - r["planted"]) <= 1
                    exact[rule] += k == r["planted"]
                    aris[rule].append(ari)
                    cells.append(f"{k} ({ari:.2f})")
                print(f"| {name} | {seed} | {r['planted']} | {' | '.join(cells)} |", flush=True)
    print()
    for rule in rules:
        print(f"{rule:<10}: exact k {exact[rule]}/{total}, within ±1 {hits[rule]}/{total}, "
              f"median ARI {np.median(aris[rule]):.3f}, lowest ARI {min(aris[rule]):.3f}")


if __name__ == "__main__":
    main()
