"""Who the citizens are: read citizen data, find segments, describe them in plain Swedish.

The names below are the package's face (`from segments import …`), imported on first use.
"""

from __future__ import annotations

from common.faces import lazy_face

_FACE: dict[str, tuple[str, ...]] = {  # module -> the names other packages and the app may use
    "choosek": ("AUTO_K_RANGE", "answer_label", "sample_rows", "search_k"),
    "clustering": ("FitResult", "_dedupe", "fit_segments"),
    "features": ("feature_columns", "fit_feature_spec"),
    "io": ("LoadResult", "load_citizens"),
    "kmeans": ("nearest",),
    "matching": ("match_segments",),
    "mixture": ("mixed_data",),
    "planted": ("DESIGNS", "HARD_DESIGNS", "generate_design"),
    "profile": ("MIN_CELL", "Profile", "SUPPRESSED"),
    "rules": ("Rule", "parse_rules", "rule_mask"),
    "mapping": ("Suggestion", "file_suggestions", "layout_digest"),
    "schema": ("FIELDS", "FIELD_BY_NAME", "category_values", "schema_help"),
    "segmentset": ("KChoice", "Segment", "SegmentSet", "load_segment_set"),
    "statistics": (
        "HabitRates", "StatisticsPopulation", "UsageEvidence", "build_population", "citizens_bytes", "estimated_note",
        "load_habits", "mark_estimated", "parse_habits", "read_households", "read_population", "usage_evidence"
    ),
    "statistics.habits": ("HABITS",),
    "statistics.labels": ("Place",),
    "statistics.source": ("build_from_spec", "sample_spec", "spec_key"),
    "statistics.synthetic": ("households_frame", "population_frame", "pxweb_csv", "single_years"),
    "synthetic": ("Municipality", "citizens_with_personas", "generate_citizens", "generate_planted"),
    "statistics.output": ("describe_only",),
}

__all__, __getattr__, __dir__ = lazy_face(__name__, _FACE, globals())
