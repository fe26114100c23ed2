"""What, where, when and how: campaigns and regions, channels and the budgeted mix, the calendar,
message drafts, exports, the shared database and the evaluation.

The names below are the package's face (`from campaigns import …`), imported on first use.
"""

from __future__ import annotations

from common.faces import lazy_face

_FACE: dict[str, tuple[str, ...]] = {  # module -> the names other packages and the app may use
    "access": ("Action", "Actor", "Forbidden", "allowed"),
    "campaign_docs": (
        "BUNDLED", "CAMPAIGN", "REGIONS", "add_service", "bundled_campaigns", "catalogue", "catalogue_service",
        "kit_into", "make_service", "merge_campaigns", "new_campaign", "new_key", "proposed_day", "read_campaign",
        "region_of", "remove_service", "set_local_go_live", "set_objectives"
    ),
    "campaign_session": ("CAMPAIGN_DOC",),
    "channels": ("affinity",),
    "costs": ("METHODS", "method_name", "share_costs", "shares_frame", "shares_to_xlsx"),
    "data_fit": ("DataFit", "best_match", "check_fit"),
    "campaign_files": ("dump_yaml", "load_campaign", "load_region", "region_path_for"),
    "definitions": ("Campaign", "EService", "Objective", "Region"),
    "drafts": (
        "Draft", "EditConflict", "EditSet", "FACEBOOK_IDEAL", "FACEBOOK_PREVIEW", "check_text", "drafts_for_plan",
        "facebook_card_html", "flyer_pdf", "load_edits", "pdf_page_png", "preview", "render_draft", "web_preview_html"
    ),
    "evaluation": ("Evaluation", "estimates_table", "evaluate", "period_label", "survey_drafts"),
    "evaluation_report": ("OTHER_SOURCES", "report_html", "report_pdf"),
    "evaluation_run": ("estimates_csv", "with_objectives"),
    "export": ("mix_to_csv", "plan_to_csv", "plan_to_ics", "plan_to_xlsx", "write_drafts", "write_plan_files"),
    "feedback": ("CATEGORIES", "FeedbackItem", "FeedbackStore", "category_name"),
    "kit": ("export_kit", "import_kit"),
    "mix": ("ChannelMix", "Option", "channel_options", "optimise_mix"),
    "objective_power": ("ObjectivePower", "objective_power"),
    "objectives": ("ObjectiveScore", "baseline", "objective_label", "objectives_table", "score_objectives"),
    "refit": ("RefitPreview", "carry_over", "preview_refit"),
    "relevance": ("excluded",),
    "schedule": ("CampaignPlan", "MoveRefused", "apply_moves", "move_activity", "plan_campaign"),
    "schedule.views": ("DayCell", "month_grid", "months", "select", "timeline_counts", "workload_table"),
    "shared_work": ("EDITS", "KIT_IMPORT", "SEGMENT_SET", "SharedWork", "UNDO", "undo_key"),
    "store": ("ArchivedMessage", "Conflict", "Document", "Store"),
    "survey_answers": ("SurveyAnswers", "load_survey_answers"),
    "usage": (
        "UsageData", "load_usage", "monthly_rates", "planted_panel", "staggered_fit", "start_months", "twfe_fit",
        "wave_windows"
    ),
    "usage.power": ("PowerResult", "minimum_detectable_effect"),
    "working_session": ("Status", "UNDO_STEPS", "WORKING_STATE", "WorkingSession"),
    "working_state": (
        "DataChoice", "FieldChange", "Segmentation", "FieldConflict", "WorkingState", "changes", "compare",
        "dump_state", "field_label", "field_value", "fields", "load_state", "merge", "state_digest"
    ),
    "login_setup": ("LoginSetup", "is_loopback", "read_login_setup", "region_municipalities", "serving_refusal"),
    "drafts.edits": ("merge_start",),
    "sign_off": ("sha256",),
    "usage.inference": ("MIN_ASSIGNMENTS",),
    "usage.placebo": ("calibrated_own_trend_fit",),
    "usage.uplift": ("MIN_MEMBERS", "is_staggered"),
    "estimates_file": ("estimates_for_excel",),
}

__all__, __getattr__, __dir__ = lazy_face(__name__, _FACE, globals())
