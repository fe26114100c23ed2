"""Segments without a survey: a weighted population from SCB statistics and national habit rates.

`read_population` / `read_households` read PX-Web exports, `load_habits` the habit rates per age
band, `build_population` makes weighted rows the ordinary segmentation reads, calibrated by
usage counts where given (`usage_evidence`), and `write_citizens` saves them with their
provenance, which `mark_estimated` carries into the segment set.
"""

from .calibration import UsageEvidence, usage_evidence
from .habits import BUNDLED_HABITS, HabitRates, load_habits, parse_habits
from .output import citizens_bytes, estimated_note, mark_estimated, read_provenance, write_citizens
from .population import StatisticsPopulation, build_population
from .readers import HouseholdTable, PopulationTable, read_households, read_population

__all__ = [
    "BUNDLED_HABITS", "HabitRates", "HouseholdTable", "PopulationTable", "StatisticsPopulation", "UsageEvidence",
    "build_population", "citizens_bytes", "estimated_note", "load_habits", "mark_estimated", "parse_habits",
    "read_households", "read_population", "read_provenance", "usage_evidence", "write_citizens",
]
