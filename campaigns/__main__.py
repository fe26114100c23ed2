"""Command line: `python -m campaigns plan CAMPAIGN.yaml [--segments SEGMENTS.yaml] --out DIR`,
`evaluate CAMPAIGN.yaml --usage USAGE.csv --out DIR`, `power CAMPAIGN.yaml [--usage USAGE.csv]`,
`from-statistics POP.csv --usage USAGE.csv --campaign CAMPAIGN.yaml --out ROWS` (segments'
`from-statistics` with the e-service habit calibrated by the campaign's usage counts)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from common.arguments import check_number, check_output_file, check_output_folder
from common.catalogue import Raw, render
from common.cli_language import LANG_HELP, default_lang
from common.commands import bounded_int, run_command
from common.errors import InputError, problem
from common.formatting import fmt_dec
from common.outputs import output_files, output_folder
from common.progress import stderr_progress
from common.spreadsheet import frame_csv
from segments.statistics import UsageEvidence, usage_evidence
from segments.statistics import cli as statistics_cli

from .campaign_files import load_campaign, region_path_for
from .drafts import EditSet
from .mix import optimise_mix
from .plan_output import write_plan_output
from .planning import default_plan
from .preflight import check_plan_inputs
from .schedule import PHASES, plan_campaign
from .sources import segments_for
from .store import edits_in_shared_store
from .usage import SAMPLE_BASELINE, SAMPLE_EFFECTS, generate_usage, load_usage


def shared_edits(campaign_key: str) -> EditSet:
    """The officers' saved edits from the shared database, read before any work so that a database
    that cannot be reached (or a DATABASE_URL that is no address) is a located refusal, not a
    traceback after the plan was made. The address is never printed: it may hold a password."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return edits_in_shared_store(campaign_key)
    except (SQLAlchemyError, ImportError) as exc:
        raise InputError([problem("database_unavailable", where="DATABASE_URL", detail=Raw(type(exc).__name__),
                                  hint="hint_no_edits")]) from None


def cmd_plan(args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        problems = check_output_folder(args.out, "--out")
        if args.workers is not None:
            problems += check_number(args.workers, "--workers", 1, 64)
        if problems:
            raise InputError(problems)
        campaign, region = load_campaign(args.campaign)
        check_plan_inputs(campaign, region, region_path_for(campaign, Path(args.campaign)))
        segment_set = segments_for(campaign, region, Path(args.campaign), args.segments)
        edits = None if args.no_edits else shared_edits(campaign.key)  # before the work, not after it
    except InputError as err:
        print(render("cli.plan_refused", lang), file=sys.stderr)
        print(err.text(lang), file=sys.stderr)
        print(render("cli.nothing_written", lang), file=sys.stderr)
        return 2
    mix = optimise_mix(campaign, region, segment_set) if campaign.budget_sek > 0 else None
    plan = plan_campaign(campaign, region, segment_set, mix)
    try:  # all or nothing: the files replace the previous run's only when every one is written
        with output_folder(args.out, command="campaigns plan") as staging:
            output = write_plan_output(plan, segment_set, staging, edits=edits, lang=lang, pdf=args.pdf,
                                       workers=args.workers, progress=stderr_progress(lang))
    except InputError as err:
        print(err.text(lang), file=sys.stderr)
        print(render("cli.nothing_written", lang), file=sys.stderr)
        return 2
    written, draft_rows = output.written, output.draft_rows

    print(f"{campaign.name} ({region.name}): {len(plan.activities)} activities")
    if mix is not None:
        print("\n" + render("cli.channel_mix", lang))
        for line in mix.explanation:
            if line.code not in ("mix.not_chosen", "mix.unsuitable"):
                print(f"  - {render(line, lang)}")
    phases = Counter(a.phase for a in plan.activities)
    print(render("cli.per_phase", lang) + "  " + ", ".join(
        f"{render(f'phase.{p}', lang)} {phases[p]}" for p in PHASES))
    munis = Counter(a.municipality_name for a in plan.activities)
    print(render("cli.per_municipality", lang) + "  " + ", ".join(
        f"{m.name} {munis[m.name]}" for m in region.municipalities if munis[m.name]))
    peak: dict[str, float] = {}
    for row in plan.workload():
        peak[row.municipality] = max(peak.get(row.municipality, 0.0), row.hours)
    print(render("cli.busiest_week", lang) + "  " + ", ".join(
        f"{m.name} {fmt_dec(peak[m.name], lang)}/{fmt_dec(m.weekly_hours, lang)}"
        for m in region.municipalities if m.name in peak))
    if plan.moved:
        print("\n" + render("cli.moved", lang, n=len(plan.moved)))
        for c in plan.moved:
            print(f"  - {render(c.message, lang)}")
    if plan.unplaced:
        print("\n" + render("cli.unplaced", lang, n=len(plan.unplaced)))
        for c in plan.unplaced:
            print(f"  - {render(c.message, lang)}")
    warned = sum(1 for r in draft_rows if r["warnings"])
    print("\n" + render("cli.wrote_plan", lang, calendars=len(written), n=len(draft_rows), warned=warned,
                        out=args.out))
    if not args.pdf and any(str(r["path"]).endswith(".html") and r["channel"] == "flyer" for r in draft_rows):
        print(render("cli.pdf_later", lang))
    return 0


def cmd_sample_usage(args: argparse.Namespace) -> int:
    try:
        problems = check_number(args.seed, "--seed", 0, 2**32 - 1) + check_output_file(args.out, "--out")
        if problems:
            raise InputError(problems)
        plan, _ = default_plan(args.campaign)
    except InputError as err:
        print(err.text(args.lang), file=sys.stderr)
        print(render("cli.nothing_written", args.lang), file=sys.stderr)
        return 2
    frame = generate_usage(plan, SAMPLE_EFFECTS, baseline=SAMPLE_BASELINE, seed=args.seed)
    with output_files(args.out) as (tmp,):
        frame_csv(frame, tmp, sep=";", encoding="utf-8-sig", lineterminator="\n")
    out = Path(args.out)
    print(f"Wrote {len(frame):,} rows of synthetic usage statistics to {out}")
    return 0


def cmd_sample_answers(args: argparse.Namespace) -> int:
    from .survey_sample import sample_answers

    problems = check_output_file(args.out, "--out", inputs=(args.campaign,))
    if problems:
        raise InputError(problems)
    plan, segment_set = default_plan(args.campaign)
    frame = sample_answers(plan, segment_set, n=args.n, seed=args.seed)
    with output_files(args.out) as (tmp,):
        frame_csv(frame, tmp, sep=";", encoding="utf-8-sig")
    print(f"Wrote {len(frame):,} synthetic survey answers to {args.out}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluation_run import run_evaluation

    try:
        run = run_evaluation(args.campaign, args.usage, args.out, segments=args.segments, answers=args.answers,
                             lang=args.lang, pdf=not args.no_pdf)
    except InputError as err:
        print(render("cli.evaluate_refused", args.lang), file=sys.stderr)
        print(err.text(args.lang), file=sys.stderr)
        print(render("cli.nothing_written", args.lang), file=sys.stderr)
        return 2
    for s in run.evaluation.services:
        print(f"- {render(s.total.conclusion, args.lang)}")
    for o in run.objectives:
        print(f"- {o.name}: {render(o.conclusion, args.lang)}")
    wrote = "cli.wrote_evaluation" if any(f.name == "report.pdf" for f in run.files) else "cli.wrote_evaluation_no_pdf"
    print("\n" + render(wrote, args.lang, n=len(run.estimates), out=args.out))
    return 0


def cmd_power(args: argparse.Namespace) -> int:
    from .objective_power import objective_power
    from .usage.power import minimum_detectable_effect

    try:
        plan, _ = default_plan(args.campaign, args.segments)
        usage = load_usage(args.usage, None, plan.region, plan.campaign) if args.usage else None
    except InputError as err:
        print(err.text(args.lang), file=sys.stderr)
        return 2
    for e in plan.campaign.e_services:
        power = minimum_detectable_effect(plan, e.key, usage)
        if power is None:
            continue
        print(render("cli.power_for", args.lang, e_service=e.name))
        for s in power.scenarios:
            mde = "–" if s.mde is None else fmt_dec(s.mde, args.lang, 2)
            print(f"  {render(f'power.scenario.{s.key}', args.lang)}: {mde} "
                  f"({render(f'power.method.{s.method}', args.lang)})")
        for objective in e.objectives:  # each objective's target held against the power over its months
            text = render(objective_power(plan, e.key, objective, usage, power=power).message, args.lang)
            print(render("cli.objective_power", args.lang, text=text))
    return 0


def _usage_evidence(path: str, campaign_path: str) -> UsageEvidence:
    campaign, region = load_campaign(campaign_path)
    usage = load_usage(path, None, region, campaign)
    return usage_evidence(usage.frame, {m.code: m.name for m in region.municipalities})


def cmd_from_statistics(args: argparse.Namespace) -> int:
    if args.usage and not args.campaign:
        print(render("statistics.cli.usage_needs_campaign", args.lang), file=sys.stderr)
        return 2
    return statistics_cli.run(args, (lambda: _usage_evidence(args.usage, args.campaign)) if args.usage else None)


def _add_evaluation_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ev = sub.add_parser("evaluate", help="estimate the campaign's effect and write estimates.csv and the report")
    ev.add_argument("campaign", help="campaign YAML, e.g. data/campaigns/varmland_2027.yaml")
    ev.add_argument("--usage", required=True, help="monthly usage statistics (CSV, XLSX or Parquet)")
    ev.add_argument("--segments", help="a saved segment set (YAML); default: the campaign's or the region's sample")
    ev.add_argument("--answers", help="survey answers as the survey tool exported them (CSV or XLSX)")
    ev.add_argument("--out", required=True, help="folder for estimates.csv, report.html and report.pdf")
    ev.add_argument("--no-pdf", action="store_true", help="skip the PDF (it needs Pango)")
    ev.add_argument("--lang", choices=("en", "sv"), default=default_lang(), help=LANG_HELP)
    ev.set_defaults(func=cmd_evaluate)
    sa = sub.add_parser("sample-answers", help="write synthetic survey answers to the campaign's citizen survey")
    sa.add_argument("campaign")
    sa.add_argument("--out", required=True)
    sa.add_argument("-n", type=bounded_int(1, 100_000), default=400)
    sa.add_argument("--seed", type=bounded_int(0, 2**32 - 1), default=7)
    sa.set_defaults(func=cmd_sample_answers)
    pw = sub.add_parser("power", help="the smallest effect the evaluation could detect, as planned and staggered")
    pw.add_argument("campaign")
    pw.add_argument("--usage", help="usage statistics from before the campaign (default: a typical level)")
    pw.add_argument("--segments")
    pw.add_argument("--lang", choices=("en", "sv"), default=default_lang(), help=LANG_HELP)
    pw.set_defaults(func=cmd_power)
    fs = sub.add_parser("from-statistics", help="segments' from-statistics, calibrated by the campaign's usage counts")
    statistics_cli.add_arguments(fs)
    fs.add_argument("--usage", help="usage statistics per municipality (as for evaluation) to calibrate "
                                    "the e-service habit; needs --campaign")
    fs.add_argument("--campaign", help="the campaign file the usage statistics belong to")
    fs.set_defaults(func=cmd_from_statistics)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m campaigns", description="Plan coordinated e-service campaigns.")
    sub = parser.add_subparsers(dest="command", required=True)
    plan = sub.add_parser("plan", help="schedule a campaign and write calendar files")
    plan.add_argument("campaign", help="campaign YAML, e.g. data/campaigns/varmland_2027.yaml")
    plan.add_argument("--segments", help="a saved segment set (YAML); default: the campaign's or the region's sample")
    plan.add_argument("--out", required=True, help="folder for calendar.ics, calendar.xlsx, calendar.csv …")
    plan.add_argument("--lang", choices=("en", "sv"), default=default_lang(), help=LANG_HELP)
    plan.add_argument("--no-edits", action="store_true",
                      help="the templates' drafts, without the edits saved in the shared database")
    plan.add_argument("--pdf", action="store_true",
                      help="also make each flyer's PDF (slow in a large region; without it flyers are printable HTML)")
    plan.add_argument("--workers", type=int, default=None,
                      help="processes writing the files (default: one per core, at most 8)")
    plan.set_defaults(func=cmd_plan)
    sample = sub.add_parser("sample-usage", help="write synthetic usage statistics with planted effects")
    sample.add_argument("campaign")
    sample.add_argument("--out", required=True)
    sample.add_argument("--seed", type=int, default=16)
    sample.add_argument("--lang", choices=("en", "sv"), default=default_lang(), help=LANG_HELP)
    sample.set_defaults(func=cmd_sample_usage)
    _add_evaluation_commands(sub)
    args = parser.parse_args(argv)
    return run_command(args.func, args)


if __name__ == "__main__":
    sys.exit(main())
