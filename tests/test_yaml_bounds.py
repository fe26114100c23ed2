"""Every YAML file a user hands over is read within bounds: an alias bomb, deep nesting or a
device instead of a file is refused with a located message before anything is expanded."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.campaign_files import load_campaign, load_region
from campaigns.kit import import_kit
from campaigns.sources import segments_for
from common.errors import InputError
from common.yamlfile import MAX_DEPTH, MAX_YAML_BYTES, load_yaml_file, read_user_text
from segments.rules import load_rules
from segments.segmentset import load_segment_set

from .conftest import DATA, ROOT

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
DEEP = "rules: " + "[" * 5000 + "]" * 5000 + "\n"


def _refused(call) -> InputError:
    with pytest.raises(InputError) as info:
        call()
    return info.value


@pytest.mark.parametrize("text,code", [(BOMB, "yaml_alias"), (DEEP, "yaml_too_deep")])
def test_rules_file(tmp_path, text, code):
    path = tmp_path / "regler.yaml"
    path.write_text(text, encoding="utf-8")
    assert code in _refused(lambda: load_rules(path)).codes


@pytest.mark.parametrize("text,code", [("format: segmentset/1\n" + BOMB, "yaml_alias"), (DEEP, "yaml_too_deep")])
def test_segment_set_file(tmp_path, text, code):
    path = tmp_path / "segment.yaml"
    path.write_text(text, encoding="utf-8")
    assert code in _refused(lambda: load_segment_set(path)).codes


@pytest.mark.parametrize("text,code", [("format: kit/1\n" + BOMB, "yaml_alias"), (DEEP, "yaml_too_deep")])
def test_kit_file(varmland, text, code):
    _, region, _ = varmland
    err = _refused(lambda: import_kit(text, region, key="x", planning_start=dt.date(2027, 1, 4)))
    assert code in err.codes


@pytest.mark.parametrize("text,code", [(BOMB, "yaml_alias"), (DEEP, "yaml_too_deep")])
def test_campaign_and_region_files(tmp_path, text, code):
    path = tmp_path / "kampanj.yaml"
    path.write_text(text, encoding="utf-8")
    assert code in _refused(lambda: load_campaign(path)).codes
    assert code in _refused(lambda: load_region(path)).codes


def test_a_campaign_whose_segments_are_a_device_is_refused(tmp_path, varmland):
    campaign, region, _ = varmland
    path = tmp_path / "kampanj.yaml"
    path.write_text("x: 1\n", encoding="utf-8")
    err = _refused(lambda: segments_for(campaign.model_copy(update={"segments": "/dev/zero"}), region, path))
    assert err.codes == {"not_a_file"}


BUNDLED_YAML = sorted([*DATA.rglob("*.yaml"), ROOT / "templates" / "wording.yaml"])


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@pytest.mark.parametrize("path", BUNDLED_YAML, ids=lambda p: p.name)
def test_the_bundled_files_are_within_bounds(path):
    """Each bundled YAML file is read by the bounded reader, with room under every bound, and a
    bound smaller than the file refuses it (so the bound really applies to these files)."""
    data = load_yaml_file(path)
    assert isinstance(data, dict) and data
    assert path.stat().st_size < MAX_YAML_BYTES // 4
    assert _depth(data) < MAX_DEPTH // 2
    assert _refused(lambda: read_user_text(path, limit=path.stat().st_size - 1)).codes == {"file_too_large"}


def test_the_bundled_campaigns_load_whole():
    for name, members in (("varmland_2027", 16), ("atvidaberg_2027", 6)):
        campaign, region = load_campaign(DATA / "campaigns" / f"{name}.yaml")
        assert campaign.key and campaign.e_services and len(region.municipalities) == members
        assert load_region(DATA / "regions" / f"{region.key}.yaml").municipalities == region.municipalities