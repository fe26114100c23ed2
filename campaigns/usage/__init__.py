"""E-service usage statistics and the campaign's effect on them.

`load` reads the statistics, `dates` finds each member's start in the plan, `panel` turns uses
into rates per 1,000 inhabitants, `estimators` holds the staggered two-stage DiD, the plain
two-way fixed-effects fit and the own-trend fallback, `uplift` picks the right one and words
the conclusion, `uptake` counts tracked uses and their cost, `power` says before the campaign
what effect the evaluation could detect, and `synthetic` makes data with planted effects.
"""

from .dates import campaign_starts, start_months, wave_windows
from .estimators import EventTime, Fit, own_trend_fit, staggered_fit, twfe_fit
from .load import USAGE_COLUMNS, UsageData, load_usage
from .panel import long_panel, monthly_rates
from .synthetic import SAMPLE_BASELINE, SAMPLE_EFFECTS, generate_usage, planted_effect, planted_panel
from .uplift import Uplift, estimate_uplift
from .uptake import channel_uptake, variant_uptake

__all__ = ["SAMPLE_BASELINE", "SAMPLE_EFFECTS", "USAGE_COLUMNS", "EventTime", "Fit", "Uplift", "UsageData",
           "campaign_starts", "channel_uptake", "estimate_uplift", "generate_usage", "load_usage", "long_panel",
           "monthly_rates", "own_trend_fit", "planted_effect", "planted_panel", "staggered_fit", "start_months",
           "twfe_fit", "variant_uptake", "wave_windows"]
