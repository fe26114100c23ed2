"""Regional collaboration: campaign kits from leader to follower, and cost sharing."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from campaigns.costs import share_costs, shares_frame, shares_to_xlsx
from campaigns.definitions import dump_yaml, load_campaign, load_region
from campaigns.kit import export_kit, import_kit
from campaigns.mix import optimise_mix

from common.messages import render

from .conftest import DATA

VARMLAND_NAMES = ["Värmland", "varmland", "Karlstad", "Forshaga", "Munkfors", "Arvika", "e-tjanster.varmland.se"]


def test_a_varmland_kit_imports_into_the_federation_with_every_local_value_replaced():
    campaign, region = load_campaign(DATA / "campaigns" / "varmland_2027.yaml")
    kit = export_kit(campaign, region)
    assert "Karlstad" in kit and "templates:" in kit and "glossary:" in kit  # leader named as the source
    target = load_region(DATA / "regions" / "atvidaberg.yaml")
    dates = {"vigsel": dt.date(2027, 4, 13), "felanmalan": dt.date(2027, 5, 11)}
    result = import_kit(kit, target, key="atvidaberg_kit", planning_start=dt.date(2027, 2, 1), go_live=dates)
    text = dump_yaml(result.campaign)
    for name in VARMLAND_NAMES:
        assert name not in text, name
    assert result.campaign.region == "atvidaberg" and "Åtvidabergs IT-förbund" in result.campaign.name
    assert all(e.link.startswith("https://www.atvidaberg.se/") for e in result.campaign.e_services)
    assert result.campaign.e_services[0].go_live == dt.date(2027, 4, 13)
    assert {e.key for e in result.campaign.e_services} == {"vigsel", "felanmalan", "bygglov"}
    joined = " ".join(render(d, "sv") for d in result.decisions)
    assert "Bestäm lanseringsdatum för Ansök om bygglov" in joined and "budget" in joined and "Länkarna" in joined
    assert "survey/citizen.md.j2" in result.templates and result.wording["profiles"]


def test_kit_channels_the_follower_lacks_are_added_and_flagged():
    campaign, region = load_campaign(DATA / "campaigns" / "varmland_2027.yaml")
    target = load_region(DATA / "regions" / "atvidaberg.yaml")
    slim = target.model_copy(update={"channels": [c for c in target.channels if c.key != "training"]})
    result = import_kit(export_kit(campaign, region), slim, key="k", planning_start=dt.date(2027, 2, 1))
    assert "training" in {c.key for c in result.region.channels}
    assert any("Visning på biblioteket" in render(d, "sv") for d in result.decisions)
    assert any("Visning på biblioteket" in render(c, "en") for c in result.changes)  # shown in the preview


def test_a_file_that_is_not_a_kit_is_refused():
    from common.errors import InputError

    target = load_region(DATA / "regions" / "atvidaberg.yaml")
    with pytest.raises(InputError) as info:
        import_kit("format: nope\n", target, key="k", planning_start=dt.date(2027, 1, 1))
    assert "inget kampanjkit" in info.value.text("sv")


@pytest.mark.parametrize("method", ["per_capita", "equal", "households"])
def test_cost_shares_sum_to_the_total(varmland, method):
    campaign, region, ss = varmland
    mix = optimise_mix(campaign, region, ss)
    shares = share_costs(campaign, region, mix, ss, method)
    by_item: dict[str, int] = {}
    for s in shares:
        by_item[s.item] = by_item.get(s.item, 0) + s.amount
    from campaigns.costs import cost_items
    for item, total in cost_items(mix, region).items():
        assert by_item[item] == round(total)


def test_per_capita_shares_follow_population(varmland):
    campaign, region, ss = varmland
    mix = optimise_mix(campaign, region, ss)
    table = shares_frame(share_costs(campaign, region, mix, ss, "per_capita")).set_index("Kommun")
    total = table["Att fakturera (kr)"]
    pops = {m.name: m.population for m in region.municipalities}
    assert total["Karlstad"] > total["Forshaga"] > total["Munkfors"]
    ratio = total["Karlstad"] / total["Munkfors"]
    assert ratio == pytest.approx(pops["Karlstad"] / pops["Munkfors"], rel=0.01)
    equal = shares_frame(share_costs(campaign, region, mix, ss, "equal")).set_index("Kommun")["Att fakturera (kr)"]
    assert equal.max() - equal.min() <= 2


def test_cost_sharing_xlsx_for_invoicing(varmland):
    campaign, region, ss = varmland
    mix = optimise_mix(campaign, region, ss)
    shares = share_costs(campaign, region, mix, ss)
    wb = load_workbook(io.BytesIO(shares_to_xlsx(shares, campaign, "per_capita")))
    ws = wb.active
    assert "per invånare" in ws["A1"].value and ws["A3"].value == "Kommun"
    english = load_workbook(io.BytesIO(shares_to_xlsx(shares, campaign, "equal", "en"))).active
    assert "in equal parts" in english["A1"].value and english["A3"].value == "Municipality"
    last = ws.max_row
    assert ws.cell(row=last, column=1).value == "Summa"
    assert ws.cell(row=last, column=ws.max_column).value == sum(s.amount for s in shares)
