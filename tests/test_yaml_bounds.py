"""Every YAML file a user hands over is read within bounds: an alias bomb, deep nesting or a
device instead of a file is refused with a located message before anything is expanded."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.definitions import load_campaign, load_region
from campaigns.kit import import_kit
from campaigns.sources import segments_for
from common.errors import InputError
from segments.rules import load_rules
from segments.segmentset import load_segment_set

from .conftest import DATA

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


def test_the_bundled_files_are_within_bounds():
    load_campaign(DATA / "campaigns" / "varmland_2027.yaml")
