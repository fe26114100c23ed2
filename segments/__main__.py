"""Command line: `python -m segments fit INPUT --out SEGMENTS.yaml` and `python -m segments sample`.

Only parses arguments and calls the core; a refused input prints its problems and exits with
code 2, having written nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from common.arguments import check_number, check_output_file
from common.catalogue import ListOf, Msg, Num, Raw, fmt_value, render
from common.cli_language import LANG_HELP, default_lang
from common.commands import run_command
from common.errors import InputError, Problem, problem
from common.formatting import fmt_int, fmt_pct
from common.outputs import output_files
from common.spreadsheet import arrow_csv, frame_csv

from .clustering import fit_segments
from .io import load_citizens
from .rules import load_rules
from .segmentset import SegmentSet
from .statistics import cli as statistics_cli
from .statistics.output import describe_only, estimated_note, mark_estimated, read_provenance
from .synthetic import REGIONS, generate_citizens, generate_planted, to_swedish_excel


def _k(value: str) -> int | str:
    if value == "auto":
        return "auto"
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError("use a number from 1 to 20, or 'auto'") from None
    if not 1 <= k <= 20:
        raise argparse.ArgumentTypeError("use a number from 1 to 20, or 'auto'")
    return k


def _pct(v: float | None, lang: str) -> str:
    return "–" if v is None else fmt_pct(v, lang)


SEGMENT_TABLE_COLUMNS = ("id", "name", "persons", "share", "internet", "bankid", "facebook", "paper", "eservices",
                         "stability", "certainty", "effective")


def segment_table(ss: SegmentSet, lang: str = "en") -> str:
    """A readable table of the segments for the terminal."""
    header = tuple(render(f"cli.segment_table.{c}", lang) for c in SEGMENT_TABLE_COLUMNS)
    rows = []
    for s in ss.segments:
        h = s.profile.habits
        stability = s.stability_label()
        rows.append((str(s.id), fmt_value(s.title, lang), fmt_int(s.profile.size, lang), fmt_pct(s.profile.share, lang),
                     _pct(h.daily_internet, lang), _pct(h.bankid, lang), _pct(h.facebook, lang), _pct(h.paper, lang),
                     "–" if h.eservice_mean is None else render(Msg("cli.number", value=Num(h.eservice_mean, 1)), lang),
                     "–" if stability is None else render(stability, lang).split(" ")[0] + f" {s.stability:.2f}",
                     _pct(s.certainty, lang),
                     "–" if s.effective_size is None else fmt_int(s.effective_size, lang)))
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(lines)


def write_assignments(path: str | Path, table: pd.DataFrame, labels: np.ndarray, ss: SegmentSet) -> None:
    """id (or file row number), segment id and name per row; only written when asked for."""
    ids = sorted(s.id for s in ss.segments)
    names = pa.array([ss.segment(i).name for i in ids])
    position = np.searchsorted(np.array(ids), labels)
    if "respondent_id" in table:
        id_col, id_values = "respondent_id", pa.array(table["respondent_id"].array)
    else:
        id_col, id_values = "row", pa.array(np.arange(2, len(table) + 2))  # as numbered in the file
    # Names as a dictionary column: each name is stored (and made spreadsheet-safe) once, not per row.
    segment_name = pa.DictionaryArray.from_arrays(pa.array(position.astype(np.int32)), names)
    out = pa.table({id_col: id_values, "segment": pa.array(labels), "segment_name": segment_name})
    arrow_csv(out, path)


def _option_problems(args: argparse.Namespace) -> list[Problem]:
    """Every option checked before any work, so a bad one costs nothing and writes nothing."""
    problems = check_number(args.min_size, "--min-size", 0, 1e9) + check_number(args.seed, "--seed", 0, 2**32 - 1)
    inputs = (args.input, args.rules)
    problems += check_output_file(args.out, "--out", inputs=inputs)
    if args.assign:
        problems += check_output_file(args.assign, "--assign", inputs=inputs)
        if Path(args.assign).absolute() == Path(args.out).absolute():
            problems.append(problem("outputs_same", where=args.assign))
    return problems


def cmd_fit(args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        problems = _option_problems(args)
        if problems:
            raise InputError(problems)
        rules = load_rules(args.rules) if args.rules else ()
        features = tuple(dict.fromkeys(f.strip() for f in args.features.split(",") if f.strip())) \
            if args.features else ()
        loaded = load_citizens(args.input, features=features)
        provenance = read_provenance(args.input)
        result = fit_segments(loaded.table, args.k, min_size=args.min_size, seed=args.seed, rules=rules,
                              extra_features=features, describe_only=describe_only(provenance))
    except InputError as err:
        print(render("cli.fit_refused", lang), file=sys.stderr)
        print(err.text(lang), file=sys.stderr)
        print(render("cli.nothing_written", lang), file=sys.stderr)
        return 2
    ss = mark_estimated(result.segment_set, provenance)  # rows built from statistics say so
    # All or nothing: the segment set and the assignments replace earlier ones together, or neither does.
    try:
        with output_files(args.out, *([args.assign] if args.assign else [])) as staged:
            staged[0].write_text(ss.to_yaml(lang), encoding="utf-8")
            if args.assign:
                write_assignments(staged[1], loaded.table, result.labels, ss)
    except InputError as err:
        print(err.text(lang), file=sys.stderr)
        print(render("cli.nothing_written", lang), file=sys.stderr)
        return 2

    print(render("cli.read_summary", lang, file=Raw(loaded.description), rows=Num(len(loaded.table)),
                 persons=Num(ss.total_weight)))
    for n in (*loaded.notices, *result.notices):
        print(render("cli.note", lang, note=n))
    print(render(ss.k.explanation(), lang))
    if (note := estimated_note(ss.provenance)) is not None:
        print(render(note, lang))
    for c in ss.k.candidates:
        print(f"  k={c.k}: {c.quality:.0%}{' *' if c.k == ss.k.chosen else ''}  {render(c.split, lang)}")
    for m in ss.model_summary():
        print(render(m, lang))
    print()
    print(segment_table(ss, lang))
    print()
    for s in ss.segments:
        print(f"{s.id}. {fmt_value(s.title, lang)}: {render(s.description, lang)}")
    for sid, caution in ss.cautions():
        print(render("cli.note", lang, note=Msg("cli.segment_caution", id=sid, caution=caution)))
    print()
    saved = (Raw(str(args.out)),) + ((Raw(str(args.assign)),) if args.assign else ())
    print(render("cli.saved_files", lang, files=ListOf(saved)))
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    problems = check_number(args.rows, "--rows", 1, 20_000_000) + check_number(args.seed, "--seed", 0, 2**32 - 1)
    problems += check_output_file(args.out, "--out")
    if problems:
        print(InputError(problems).text("en"), file=sys.stderr)
        print(render("cli.nothing_written", "en"), file=sys.stderr)
        return 2
    truth = None
    if args.planted:
        df, truth = generate_planted(args.rows, seed=args.seed)
    else:
        df = generate_citizens(args.region, args.rows, seed=args.seed, use_codes=args.codes)
    out = Path(args.out)
    extra = [out.with_suffix(".truth.npy")] if truth is not None else []
    with output_files(out, *extra) as staged:  # the rows and the truth together, or neither
        tmp = staged[0]
        if truth is not None:
            with open(staged[1], "wb") as fh:
                np.save(fh, truth)
        if args.swedish_excel:
            frame_csv(to_swedish_excel(df), tmp, sep=";", encoding="cp1252", lineterminator="\n")
        elif out.suffix == ".parquet":
            df.to_parquet(tmp, index=False)
        else:
            arrow_csv(pa.Table.from_pandas(df, preserve_index=False), tmp)
    print(f"Wrote {len(df):,} synthetic rows to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m segments",
                                     description="Citizen segments from survey or register data.")
    sub = parser.add_subparsers(dest="command", required=True)
    fit = sub.add_parser("fit", help="find segments in a citizen file")
    fit.add_argument("input", help="CSV, XLSX or Parquet file; see data/README.md for the columns")
    fit.add_argument("--out", required=True, help="where to save the segment set (YAML)")
    fit.add_argument("--k", type=_k, default="auto", help="number of segments, or 'auto' (1–8, BIC)")
    fit.add_argument("--assign", help="also write a CSV with each row's segment")
    fit.add_argument("--min-size", type=float, default=30, help="smallest segment in weighted persons (30)")
    fit.add_argument("--seed", type=int, default=0)
    fit.add_argument("--rules", help="YAML file with rule-based segments")
    fit.add_argument("--features", help="extra columns to use, comma separated")
    fit.add_argument("--lang", choices=("en", "sv"), default=default_lang(), help=LANG_HELP)
    fit.set_defaults(func=cmd_fit)
    sample = sub.add_parser("sample", help="write synthetic sample citizens")
    sample.add_argument("region", choices=sorted(REGIONS))
    sample.add_argument("--rows", type=int, default=4000)
    sample.add_argument("--out", required=True)
    sample.add_argument("--seed", type=int, default=2026)
    sample.add_argument("--codes", action="store_true", help="kommunkod instead of names")
    sample.add_argument("--swedish-excel", action="store_true", help="Swedish Excel CSV (semicolon, cp1252)")
    sample.add_argument("--planted", action="store_true", help="crisp planted personas, truth saved beside")
    sample.set_defaults(func=cmd_sample)
    statistics_cli.add_parser(sub)
    args = parser.parse_args(argv)
    return run_command(args.func, args)


if __name__ == "__main__":
    sys.exit(main())
