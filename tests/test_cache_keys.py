"""Cache keys come from the inputs: `_cached.derived` keys a result by the builder, the arguments it
receives (Keyed values by their digest) and the language; a lambda, which could read anything the
key does not name, is refused."""

from __future__ import annotations

import pandas as pd
import pytest

from app_pages import _cached

CALLS: list[tuple] = []


def _count(value: object, n: int) -> tuple:
    CALLS.append((value, n))
    return (value, n)


def _other(value: object, n: int) -> tuple:
    return ("other", value, n)


def test_the_key_is_derived_from_the_builder_and_its_arguments():
    CALLS.clear()
    first = _cached.derived(_count, _cached.Keyed([1, 2], "digest-a"), 3)
    again = _cached.derived(_count, _cached.Keyed([9, 9], "digest-a"), 3)  # same digest: the stored result
    assert first == again == ([1, 2], 3) and len(CALLS) == 1
    assert _cached.derived(_count, _cached.Keyed([1, 2], "digest-b"), 3) == ([1, 2], 3) and len(CALLS) == 2
    assert _cached.derived(_count, _cached.Keyed([1, 2], "digest-a"), 4) == ([1, 2], 4) and len(CALLS) == 3
    assert _cached.derived(_other, _cached.Keyed([1, 2], "digest-a"), 3) == ("other", [1, 2], 3)


def test_small_tables_are_keyed_by_their_content():
    CALLS.clear()
    _cached.derived(_count, pd.DataFrame({"a": [1]}), 0)
    _cached.derived(_count, pd.DataFrame({"a": [1]}), 0)
    _cached.derived(_count, pd.DataFrame({"a": [2]}), 0)
    assert len(CALLS) == 2


def test_a_lambda_builder_is_refused():
    with pytest.raises(Exception, match="module-level"):
        _cached.derived(lambda n: n, 1)
