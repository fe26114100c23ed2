"""How habits combine within an age band, from their shares alone.

The habits file gives each habit's share per age band, not who has which combination. Drawing
them independently would give offline people with BankID as often as online ones; instead one
"digital propensity" per person (a one-factor Gaussian copula) drives them all: a habit holds
when `loading · z + noise` passes the threshold its share sets. Each habit keeps exactly its
share, and `dependence` (the loading) says how strongly they go together. Combination
probabilities are integrated over z with Gauss–Hermite quadrature, so they are exact and fast.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from numpy.polynomial.hermite_e import hermegauss

__all__ = ["COMBINATIONS", "combination_probabilities"]

# internet_use × BankID × Facebook × prefers paper × used an e-service (48 combinations)
COMBINATIONS = pd.DataFrame(
    list(itertools.product(("daily", "weekly", "never"), (1.0, 0.0), (1.0, 0.0), (1.0, 0.0), (1.0, 0.0))),
    columns=["internet_use", "has_bankid", "uses_facebook", "prefers_paper", "eservice_user"],
)
_BINARY = (("bankid", 1.0, "has_bankid"), ("facebook", 1.0, "uses_facebook"),
           ("prefers_paper", -1.0, "prefers_paper"), ("eservice_use", 1.0, "eservice_user"))
_NODES, _WEIGHTS = hermegauss(48)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()
_EPS = 1e-6


def _ppf(p: np.ndarray) -> np.ndarray:
    from scipy.special import ndtri  # the normal quantile; imported here, not when `segments fit` starts

    return np.asarray(ndtri(np.clip(p, _EPS, 1 - _EPS)))


def combination_probabilities(shares: dict[str, np.ndarray], dependence: float) -> np.ndarray:
    """P(combination) for each band: an array (bands × 48) whose rows sum to 1.

    `shares` maps daily_internet, no_internet, bankid, facebook, prefers_paper and eservice_use
    to arrays of shares (one per band).
    """
    from scipy.special import ndtr  # the normal CDF (scipy.stats costs a second to import)

    lam = float(dependence)
    s = np.sqrt(1 - lam ** 2)
    z = _NODES[None, :]  # (1, nodes)
    never = ndtr((_ppf(shares["no_internet"])[:, None] - lam * z) / s)
    not_daily = ndtr((_ppf(1 - shares["daily_internet"])[:, None] - lam * z) / s)
    internet = {"never": never, "weekly": np.clip(not_daily - never, 0, 1), "daily": 1 - not_daily}
    yes = {habit: ndtr((_ppf(shares[habit])[:, None] + sign * lam * z) / s) for habit, sign, _ in _BINARY}
    out = np.empty((len(shares["bankid"]), len(COMBINATIONS)))
    for k, combo in enumerate(COMBINATIONS.itertuples(index=False)):
        p = internet[str(combo.internet_use)].copy()
        for habit, _, column in _BINARY:
            p *= yes[habit] if getattr(combo, column) == 1.0 else 1 - yes[habit]
        out[:, k] = p @ _WEIGHTS
    # A share of exactly 0 or 1 means the combinations against it cannot happen.
    for habit, _, column in _BINARY:
        value = COMBINATIONS[column].to_numpy()
        out[shares[habit] <= 0] *= value == 0.0
        out[shares[habit] >= 1] *= value == 1.0
    level = COMBINATIONS["internet_use"].to_numpy()
    out[shares["no_internet"] <= 0] *= level != "never"
    out[shares["daily_internet"] >= 1] *= level == "daily"
    out[shares["daily_internet"] + shares["no_internet"] >= 1] *= level != "weekly"
    total = out.sum(axis=1, keepdims=True)
    return np.divide(out, total, out=np.zeros_like(out), where=total > 0)
