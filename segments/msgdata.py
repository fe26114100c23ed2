"""Messages (`Msg`) as plain YAML data, so a saved SegmentSet keeps its generated wording as
records — worded in the reader's language when shown, never frozen into one language.

    {id: segname.post, values: {stage: {msg: {id: stage.seniors}}, share: {pct: 0.61}}}
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

from common.catalogue import ListOf, Msg, Num, Pct, Raw

__all__ = ["MsgField", "msg_from_data", "msg_to_data"]


def _value_to_data(value: Any) -> Any:
    if isinstance(value, Msg):
        return {"msg": msg_to_data(value)}
    if isinstance(value, Pct):
        return {"pct": value.value}
    if isinstance(value, Num):
        return {"num": value.value, "digits": value.digits}
    if isinstance(value, Raw):
        return {"raw": value.text}
    if isinstance(value, ListOf):
        return {"list": [_value_to_data(v) for v in value.items], "style": value.style}
    if isinstance(value, (str, int, float)) or value is None:
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in a message")


MAX_DIGITS = 6
MAX_NUMBER = 1e15
_STYLES = ("standard", "or", "semicolon")  # ListOf.style


def _number(value: Any) -> float:
    """A finite number within ±MAX_NUMBER; ValueError (a located schema error) for anything else —
    a list, a bool or a 5,000-digit integer in a hand-edited segment set is not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("a number was expected")
    if not (math.isfinite(value) and abs(value) <= MAX_NUMBER):
        raise ValueError("the number is out of range")
    return float(value)


def _digits(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DIGITS:
        raise ValueError(f"digits must be a whole number from 0 to {MAX_DIGITS}")
    return value


def _value_from_data(data: Any) -> Any:
    if not isinstance(data, dict):
        if isinstance(data, str) or data is None:
            return data
        if isinstance(data, (int, float)):
            return data if isinstance(data, bool) else type(data)(_number(data))
        raise ValueError("a message value must be text, a number or a typed value")
    if set(data) == {"msg"}:
        return msg_from_data(data["msg"])
    if set(data) == {"pct"}:
        return Pct(_number(data["pct"]))
    if set(data) == {"num", "digits"}:
        return Num(_number(data["num"]), _digits(data["digits"]))
    if set(data) == {"raw"}:
        if not isinstance(data["raw"], (str, int, float)):
            raise ValueError("a raw value is text")
        return Raw(str(data["raw"]))
    if set(data) == {"list", "style"}:
        if not isinstance(data["list"], list) or data["style"] not in _STYLES:
            raise ValueError("a list value is {list: [...], style: standard|or|semicolon}")
        return ListOf(tuple(_value_from_data(v) for v in data["list"]), data["style"])
    raise ValueError(f"unknown message value with keys {sorted(data)}")


def msg_to_data(msg: Msg) -> dict[str, Any]:
    out: dict[str, Any] = {"id": msg.code}
    if msg.params:
        out["values"] = {k: _value_to_data(v) for k, v in msg.params}
    return out


def msg_from_data(data: Any) -> Msg:
    if isinstance(data, Msg):
        return data
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or set(data) - {"id", "values"}:
        raise ValueError("a message is {id: ..., values: {...}}")
    values = data.get("values") or {}
    if not isinstance(values, dict):
        raise ValueError("a message's values are a mapping")
    return Msg(data["id"], **{str(k): _value_from_data(v) for k, v in values.items()})


# A pydantic field holding a Msg, read from and written as the plain data above.
MsgField = Annotated[Msg, BeforeValidator(msg_from_data), PlainSerializer(msg_to_data)]
