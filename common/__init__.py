"""Helpers both domain packages use: problems and messages, the catalogue that words them,
Swedish number/date formats, atomic files, table reading and bounded YAML.

Nothing here knows about citizens or campaigns; `segments` and `campaigns` import from here,
never from each other's internals for these jobs.

The names below are the package's face (`from common import …`), imported on first use.
"""

from __future__ import annotations

from .faces import lazy_face

_FACE: dict[str, tuple[str, ...]] = {  # module -> the names other packages and the app may use
    "arguments": ("check_number", "check_output_file", "check_output_folder"),
    "errors": ("InputError", "MAX_ROWS_SHOWN", "Notice", "Problem", "problem"),
    "faces": ("lazy_face",),
    "filenames": ("file_stem",),
    "files": ("write_atomic",),
    "formatting": ("fmt_date", "fmt_dec", "fmt_int", "fmt_money", "fmt_pct"),
    "headers": ("compact_header",),
    "limits": ("Limits", "MAX_COUNT", "MAX_POPULATION"),
    "links": ("link_problem",),
    "catalogue": (
        "ByLang", "Day", "Lines", "ListOf", "Money", "Msg", "Num", "Pct", "Raw", "fmt_value", "locale_for", "render",
        "shorten"
    ),
    "outputs": ("output_files", "output_folder"),
    "personal_detection": ("KINDS", "header_kind", "personal_values"),
    "screening": (
        "AllowList", "Finding", "Screen", "check_header_row", "personal_notice", "personal_problems", "quoted"
    ),
    "spreadsheet": (
        "add_sheet", "append_row", "arrow_csv", "csv_bytes", "csv_text", "decimal_sign", "frame_csv", "semicolon_csv",
        "workbook", "xlsx_bytes"
    ),
    "table_files": (
        "MISSING_WORDS", "RawTable", "Source", "clean_text", "parse_count", "parse_number", "read_raw", "read_rows"
    ),
    "yamlfile": ("load_yaml_file", "load_yaml_text", "read_user_text"),
    "commands": ("bounded_int", "run_command"),
    "uploads": ("MAX_LABEL", "label_problem", "neutral_name"),
    "municipality_list": ("by_code", "by_name", "lookup", "official_form", "official_municipalities"),
    "gate": (
        "Contract", "Gated", "gate_table", "municipality_label", "number_label", "one_of", "pattern_label",
        "screen_cells", "withheld"
    ),
    "cli_language": ("LANG_HELP", "default_lang"),
    "progress": ("Progress", "ProgressFn", "progress_message", "stderr_progress"),
}

__all__, __getattr__, __dir__ = lazy_face(__name__, _FACE, globals())
