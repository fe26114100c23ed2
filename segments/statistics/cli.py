"""`python -m segments from-statistics POP.csv [--households HH.csv] [--habits habits.yaml] --out citizens.parquet`.

Only parses arguments, calls the core and prints what it did; a refused input prints its
problems (file, column, rows) and exits with code 2, having written nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common.arguments import check_output_file, check_output_folder
from common.catalogue import Msg, Num, Pct, Raw, render
from common.cli_language import LANG_HELP, default_lang
from common.commands import bounded_int
from common.errors import InputError
from common.formatting import fmt_int
from common.outputs import output_files

from .calibration import UsageEvidence
from .habits import load_habits
from .output import citizens_bytes, describe_only, estimated_note, mark_estimated, write_citizens
from .population import StatisticsPopulation, build_population
from .readers import read_households, read_population

__all__ = ["add_arguments", "add_parser", "run", "run_sample"]


def _k(value: str) -> int | str:
    if value == "auto":
        return value
    if value.isdigit() and 1 <= int(value) <= 20:
        return int(value)
    raise argparse.ArgumentTypeError("use a number from 1 to 20, or 'auto'")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of `from-statistics` (without usage calibration, which needs a campaign and
    lives in `python -m campaigns from-statistics`)."""
    p.add_argument("population", help="SCB export (CSV or XLSX): population by region, age and sex")
    p.add_argument("--households", help="SCB export: households by region and type (optional)")
    p.add_argument("--habits", help="habit rates per age band (YAML); default: data/statistics/habits.yaml")
    p.add_argument("--out", required=True, help="where to write the weighted rows (.parquet, or .csv)")
    p.add_argument("--year", type=bounded_int(1900, 2100),
                   help="which year of the population table (default: the latest)")
    p.add_argument("--segments", help="also find segments in the rows and save them here (YAML)")
    p.add_argument("--k", type=_k, default="auto", help="number of segments with --segments, or 'auto'")
    p.add_argument("--lang", choices=("en", "sv"), default=default_lang(), help=LANG_HELP)


def add_parser(sub: Any) -> None:
    """Add the `from-statistics` command to the segments CLI."""
    p = sub.add_parser("from-statistics", help="weighted citizen rows from SCB statistics and national habit rates")
    add_arguments(p)
    p.set_defaults(func=run)
    sample = sub.add_parser("sample-statistics", help="write the sample SCB-shaped exports (synthetic)")
    sample.add_argument("--out-dir", default="data/statistics")
    sample.set_defaults(func=run_sample)


def run_sample(args: argparse.Namespace) -> int:
    from .synthetic import write_samples

    problems = check_output_folder(args.out_dir, "--out-dir")
    if problems:
        raise InputError(problems)
    for path in write_samples(args.out_dir):
        print(render("statistics.cli.sample_wrote", "en", path=str(path)))
    return 0


def _report(built: StatisticsPopulation, lang: str) -> None:
    for n in built.notices:
        print(render("cli.note", lang, note=n))
    print()
    header = tuple(render(f"statistics.cli.column.{c}", lang)
                   for c in ("municipality", "inhabitants", "in_rows", "households", "habit"))
    cov = built.coverage
    rows = [(str(m), fmt_int(float(n), lang), fmt_int(float(c), lang), render(f"statistics.households_from.{h}", lang),
             render("statistics.calibrated_yes" if cal else "statistics.calibrated_no", lang))
            for m, n, c, h, cal in zip(cov["municipality"], cov["inhabitants"], cov["covered"], cov["households"],
                                       cov["calibrated"])]
    widths = [max(len(x[i]) for x in (header, *rows)) for i in range(len(header))]
    for line in (header, tuple("-" * w for w in widths), *rows):
        print("  ".join(c.ljust(w) for c, w in zip(line, widths)))
    print()


def run(args: argparse.Namespace, usage: Callable[[], UsageEvidence | None] | None = None) -> int:
    """`usage()` reads the usage counts that calibrate the e-service habit (the campaigns CLI
    passes it: reading usage statistics needs the campaign); it may raise `InputError`."""
    lang = args.lang
    try:
        outputs = check_output_file(args.out, "--out", inputs=(args.population, args.households, args.habits))
        outputs += check_output_file(args.segments, "--segments") if args.segments else []
        if outputs:
            raise InputError(outputs)
        population = read_population(args.population, year=args.year)
        households = read_households(args.households) if args.households else None
        habits = load_habits(args.habits)
        built = build_population(population, habits, households, usage() if usage is not None else None)
        segment_set = None
        if args.segments:
            from segments.clustering import fit_segments
            from segments.io import load_citizens

            loaded = load_citizens(citizens_bytes(built), "population.parquet")
            segment_set = mark_estimated(fit_segments(loaded.table, args.k, seed=0,
                                                      describe_only=describe_only(built.provenance)).segment_set,
                                         built.provenance)
    except InputError as err:
        print(render("statistics.cli.refused", lang), file=sys.stderr)
        print(err.text(lang), file=sys.stderr)
        print(render("cli.nothing_written", lang), file=sys.stderr)
        return 2
    try:  # all or nothing: the rows and the segment set replace earlier files together, or neither does
        with output_files(args.out, *([args.segments] if segment_set is not None else [])) as staged:
            write_citizens(built, staged[0], as_csv=Path(args.out).suffix.lower() == ".csv")
            if segment_set is not None:
                staged[1].write_text(segment_set.to_yaml(lang), encoding="utf-8")
    except InputError as err:
        print(err.text(lang), file=sys.stderr)
        print(render("cli.nothing_written", lang), file=sys.stderr)
        return 2
    _report(built, lang)
    print(render("statistics.cli.wrote", lang, rows=Num(len(built.table)), persons=Num(built.table["weight"].sum()),
                 path=str(args.out)))
    note = estimated_note(built.provenance)
    if note is not None:
        print(render(note, lang))
    if segment_set is not None:
        print()
        print(render(segment_set.k.explanation(), lang))
        for m in segment_set.model_summary():
            print(render(m, lang))
        for s in segment_set.segments:
            stability = s.stability_label()
            print(render(Msg("segments.segment_line", id=s.id, name=s.title, persons=Num(s.profile.size),
                             share=Pct(s.profile.share), stability=stability if stability is not None else Raw("–"),
                             certainty=Pct(s.certainty or 1.0), effective=Num(s.effective_size or 0.0)), lang))
        for sid, caution in segment_set.cautions():
            print(render("cli.note", lang, note=Msg("cli.segment_caution", id=sid, caution=caution)))
        print(render("statistics.cli.saved_segments", lang, path=str(args.segments)))
    return 0
