"""Benchmark: render every draft for 22 municipalities × 8 segments × 4 channels × 5 e-services ×
2 headline variants.

    python benchmarks/render_drafts.py

Text and HTML drafts (with LIX and warnings) are timed together (goal: under 2 s); flyer PDFs
are timed separately on a sample and extrapolated, since WeasyPrint layout dominates.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from campaigns.campaign_files import load_region
from campaigns.definitions import Campaign, EService
from campaigns.drafts import flyer_pdf, pdf_page_png, render_draft
from segments.clustering import fit_segments
from segments.io import load_citizens

ROOT = Path(__file__).resolve().parent.parent

PDF_SAMPLE = 40


def main() -> None:
    v = load_region(ROOT / "data" / "regions" / "varmland.yaml")
    a = load_region(ROOT / "data" / "regions" / "atvidaberg.yaml")
    region = v.model_copy(update={"key": "big", "municipalities": v.municipalities + a.municipalities})
    common = ["skolval", "bygglov", "vigsel", "felanmalan", "synpunkter"]  # their content from data/e_services.yaml
    services = [EService(key=key, name=key.capitalize(), description="Gör ärendet digitalt och följ det.",
                         link=f"https://example.se/{key}", go_live=dt.date(2027, 2, 2) + dt.timedelta(weeks=5 * i),
                         audience={"everyone": True})
                for i, key in enumerate(common)]
    campaign = Campaign(key="bench", name="Benchmark", region="big", planning_start=dt.date(2027, 1, 4),
                        e_services=services)
    ss = fit_segments(load_citizens(ROOT / "data" / "citizens" / "varmland.csv").table, 8, seed=0).segment_set
    channels = [region.channel(k) for k in ("web", "facebook", "flyer", "training")]
    jobs = [(e, m, ch, s, v) for e in services for m in region.municipalities for ch in channels for s in ss.segments
            for v in ("a", "b")]
    render_draft(region, campaign, e_service=services[0], municipality=region.municipalities[0], channel=channels[0],
                 segment=ss.segments[0], segment_set=ss, go_live=services[0].go_live)  # warm the template cache
    t0 = time.perf_counter()
    drafts = [render_draft(region, campaign, e_service=e, municipality=m, channel=ch, segment=s, segment_set=ss,
                           go_live=e.go_live, variant=v) for e, m, ch, s, v in jobs]
    text_s = time.perf_counter() - t0
    flyers = [d for d in drafts if d.channel == "flyer"]
    t0 = time.perf_counter()
    for d in flyers[:PDF_SAMPLE]:
        flyer_pdf(d)
    pdf_each = (time.perf_counter() - t0) / PDF_SAMPLE
    pdf = flyer_pdf(flyers[0])
    t0 = time.perf_counter()
    for _ in range(10):
        pdf_page_png(pdf)
    png_each = (time.perf_counter() - t0) / 10
    print(f"drafts: {len(drafts)} ({len(region.municipalities)} municipalities × {len(ss.segments)} segments × "
          f"{len(channels)} channels × {len(services)} e-services × 2 variants)")
    print(f"text and HTML drafts with LIX and warnings: {text_s:.2f} s (goal: under 2 s)")
    print(f"flyer PDFs: {pdf_each * 1000:.0f} ms each (sample of {PDF_SAMPLE}); all {len(flyers)} ≈ "
          f"{pdf_each * len(flyers):.0f} s")
    print(f"flyer page as a preview image (PNG, 700 px wide): {png_each * 1000:.0f} ms each")


if __name__ == "__main__":
    main()
