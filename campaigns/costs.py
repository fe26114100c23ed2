"""Sharing the joint campaign's costs between the members, for invoicing.

The costs come from the budgeted channel mix: print and distribution of flyers, boosting of
Facebook posts, and venues for citizen sessions. Each cost item is split per capita (the
default), equally, or by the households each member's flyers reach. Shares are whole kronor,
rounded by the largest-remainder method, so they add up exactly to each item's total. Methods and
items are keys; their names are worded through the catalogue (`costs.method.*`, `costs.item.*`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from common.catalogue import ListOf, Msg, Raw, render
from common.errors import InputError, problem
from common.spreadsheet import add_sheet, append_row, workbook, xlsx_bytes
from segments.segmentset import SegmentSet

from .channels import affinity
from .definitions import Campaign, Municipality, Region
from .mix import PERSONS_PER_HOUSEHOLD, ChannelMix, persons_in

__all__ = ["ITEMS", "METHODS", "cost_items", "CostShare", "item_name", "method_name", "share_costs",
           "shares_frame", "shares_to_xlsx"]

Method = Literal["per_capita", "equal", "households"]
METHODS: tuple[Method, ...] = ("per_capita", "equal", "households")
Item = Literal["print", "in_person", "digital"]
ITEMS: tuple[Item, ...] = ("print", "in_person", "digital")  # one invoiceable item per kind of channel


def method_name(method: str) -> Msg:
    """'per invånare' / 'per inhabitant'."""
    return Msg(f"costs.method.{method}")


def item_name(item: str) -> Msg:
    """'Tryck och utdelning' / 'Printing and distribution'."""
    return Msg(f"costs.item.{item}")


@dataclass(frozen=True)
class CostShare:
    item: Item
    municipality: str
    code: str
    weight: float
    amount: int


def cost_items(mix: ChannelMix, region: Region) -> dict[Item, float]:
    """What the chosen mix costs, grouped into invoiceable items (print, venues, boosting)."""
    items: dict[Item, float] = {}
    for o in mix.options:
        if mix.is_chosen(o) and o.cost > 0:
            item = region.channel(o.channel).kind
            items[item] = items.get(item, 0.0) + o.cost
    return items


def _members(campaign: Campaign, region: Region) -> list[Municipality]:
    """Everyone who takes part in at least one of the campaign's e-services."""
    codes = {m.code for e in campaign.e_services for m in region.participants(e)}
    return [m for m in region.municipalities if m.code in codes]


def _weights(method: str, campaign: Campaign, region: Region, mix: ChannelMix, segment_set: SegmentSet
             ) -> dict[str, float]:
    members = _members(campaign, region)
    if method == "equal":
        return {m.code: 1.0 for m in members}
    if method == "per_capita":
        return {m.code: float(m.population) for m in members}
    if method == "households":
        out = {}
        segments = {s.id: s for s in segment_set.segments}
        for m in members:
            reached = 0.0
            for seg_id, key in {(s, c) for _, s, c in mix.picked}:  # a household gets one flyer per segment
                ch = region.channel(key)
                if ch.kind == "print":
                    s = segments[seg_id]
                    reached += persons_in(s, m, segment_set) * affinity(s, ch).score / PERSONS_PER_HOUSEHOLD
            out[m.code] = reached
        if sum(out.values()) > 0:
            return out
        return {m.code: float(m.households) for m in members}
    raise InputError([problem("costs.unknown_method", method=Raw(method),
                              known=ListOf(tuple(method_name(m) for m in METHODS), "or"))])


def _split(total: float, weights: dict[str, float]) -> dict[str, int]:
    """Whole kronor by the largest-remainder method: shares follow the weights and add up exactly."""
    whole = round(total)
    wsum = sum(weights.values())
    if not wsum:
        return {k: 0 for k in weights}
    raw = {k: whole * w / wsum for k, w in weights.items()}
    shares = {k: int(v // 1) for k, v in raw.items()}
    left = whole - sum(shares.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - shares[k]), k))[:left]:
        shares[k] += 1
    return shares


def share_costs(campaign: Campaign, region: Region, mix: ChannelMix, segment_set: SegmentSet,
                method: str = "per_capita") -> list[CostShare]:
    """Every cost item split between the participating members; each item's shares sum to it."""
    weights = _weights(method, campaign, region, mix, segment_set)
    names = {m.code: m.name for m in region.municipalities}
    rows = []
    for item, total in sorted(cost_items(mix, region).items()):
        for code, amount in _split(total, weights).items():
            rows.append(CostShare(item, names[code], code, weights[code], amount))
    return rows


def shares_frame(shares: list[CostShare], lang: str = "sv") -> pd.DataFrame:
    """One row per municipality, one column per cost item, and the total to invoice."""
    municipality, total = render("costs.col.municipality", lang), render("costs.col.total", lang)
    if not shares:
        return pd.DataFrame(columns=[municipality, total])
    df = pd.DataFrame([{municipality: s.municipality, "item": render(item_name(s.item), lang), "kr": s.amount}
                       for s in shares])
    table = df.pivot_table(index=municipality, columns="item", values="kr", aggfunc="sum", sort=False).reset_index()
    table.columns.name = None
    table[total] = table.drop(columns=[municipality]).sum(axis=1)
    return table


def shares_to_xlsx(shares: list[CostShare], campaign: Campaign, method: str, lang: str = "sv") -> bytes:
    """A sheet for invoicing: one row per member with each cost item and the total."""
    table = shares_frame(shares, lang)
    wb = workbook()
    ws = add_sheet(wb, render("costs.sheet", lang),
                   [render("costs.heading", lang, campaign=campaign.name, method=method_name(method))], [])
    ws["A1"].font = Font(bold=True, size=13)
    append_row(ws, [])
    append_row(ws, list(table.columns))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F0")
    for row in table.itertuples(index=False):
        append_row(ws, list(row))
    append_row(ws, [render("costs.sum", lang), *[int(table[c].sum()) for c in table.columns[1:]]])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for i, col in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(14, len(str(col)) + 4)
        for r in range(4, ws.max_row + 1):
            if i > 1:
                ws.cell(row=r, column=i).number_format = "# ##0"
    ws.freeze_panes = "B4"
    return xlsx_bytes(wb)
