"""Regional collaboration: campaign kits from leader to follower, and cost sharing."""

import copy
import datetime as dt
import io

import pytest
import yaml
from openpyxl import load_workbook

from campaigns.campaign_files import dump_yaml, load_campaign, load_region
from campaigns.costs import share_costs, shares_frame, shares_to_xlsx
from campaigns.kit import export_kit, import_kit
from campaigns.mix import optimise_mix
from common.catalogue import render

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


# ---------------------------------------------------------------- kits are untrusted input (issue #11)


@pytest.fixture(scope="module")
def kit_parts():
    campaign, region = load_campaign(DATA / "campaigns" / "varmland_2027.yaml")
    kit = yaml.safe_load(export_kit(campaign, region))
    return kit, load_region(DATA / "regions" / "atvidaberg.yaml")


def _import(kit: dict, region, **kw):
    return import_kit(yaml.safe_dump(kit, allow_unicode=True), region, key="k", planning_start=dt.date(2027, 2, 1),
                      **kw)


@pytest.mark.parametrize("link_path,why", [
    ("@evil.example/vigsel", "användarnamn"),  # would be https://www.atvidaberg.se@evil.example/vigsel
    ("//evil.example/vigsel", "sökväg"),
    ("javascript:alert(1)", "webbadress"),
    (".evil.example/x", "annan webbplats"),
    ("/ok path", "mellanslag"),
])
def test_kit_links_stay_on_the_importing_municipalitys_host(kit_parts, link_path, why):
    from common.errors import InputError

    kit, region = kit_parts
    bad = copy.deepcopy(kit)
    bad["skeleton"]["e_services"][0]["link_path"] = link_path
    with pytest.raises(InputError) as info:
        _import(bad, region)
    text = info.value.text("sv")
    assert why in text and "www.atvidaberg.se" in text and "e_services[0].link_path" in text


@pytest.mark.parametrize("base", ["javascript:alert(1)//", "https://user@evil.example", "ftp://www.atvidaberg.se"])
def test_a_link_base_must_be_a_plain_web_address(kit_parts, base):
    from common.errors import InputError

    kit, region = kit_parts
    with pytest.raises(InputError):
        _import(kit, region, link_base=base)


def test_unknown_channels_are_refused_with_the_known_ones(kit_parts):
    from common.errors import InputError

    kit, region = kit_parts
    bad = copy.deepcopy(kit)
    bad["skeleton"]["e_services"][1]["channels"].append("tiktok")
    with pytest.raises(InputError) as info:
        _import(bad, region)
    text = info.value.text("en")
    assert "tiktok" not in text and "e_services[1].channels" in text and "facebook" in text and "web" in text


@pytest.mark.parametrize("change", [
    lambda k: k["skeleton"]["e_services"][0].update(name="x" * 5000),  # length limits
    lambda k: k["skeleton"].update(e_services=k["skeleton"]["e_services"] * 30),  # too many
    lambda k: k.update(unexpected="field"),  # schema: nothing unknown
    lambda k: k["channels"][0].update(key="Not A Key"),
    lambda k: k["templates"].update({"../../etc/x.j2": "x"}),  # no paths out of the templates
])
def test_kits_are_schema_validated(kit_parts, change):
    from common.errors import InputError

    kit, region = kit_parts
    bad = copy.deepcopy(kit)
    change(bad)
    with pytest.raises(InputError) as info:
        _import(bad, region)
    assert "kampanjkit" in info.value.text("sv")


def test_a_kit_alias_bomb_is_refused_quickly(kit_parts):
    import time

    from common.errors import InputError

    _, region = kit_parts
    bomb = "format: kit/1\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20))
    start = time.perf_counter()
    with pytest.raises(InputError):
        import_kit(bomb, region, key="k", planning_start=dt.date(2027, 2, 1))
    assert time.perf_counter() - start < 1.0


def test_the_preview_lists_every_change(kit_parts):
    kit, region = kit_parts
    slim = region.model_copy(update={"channels": [c for c in region.channels if c.key != "training"]})
    result = _import(kit, slim)
    changes = [render(c, "sv") for c in result.changes]
    assert changes[0].startswith("Ny kampanj") and "3 e-tjänster" in changes[0]
    assert any(c.startswith("Ny kanal i regionen: Visning på biblioteket") for c in changes)
    assert sum(c.startswith("E-tjänst ") for c in changes) == 3
    assert any("https://www.atvidaberg.se/vigsel" in c for c in changes)


def test_a_campaign_file_cannot_hold_a_javascript_link(tmp_path):
    from common.errors import InputError

    text = (DATA / "campaigns" / "atvidaberg_2027.yaml").read_text(encoding="utf-8")
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "regions").mkdir()
    (tmp_path / "regions" / "atvidaberg.yaml").write_text(
        (DATA / "regions" / "atvidaberg.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "campaigns" / "c.yaml"
    bad.write_text(text.replace("https://www.atvidaberg.se/skolval", "javascript:alert(1)"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_campaign(bad)
    assert "e_services[0].link" in info.value.text("sv") and "https://" in info.value.text("sv")
