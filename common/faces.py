"""A package's public face, imported on first use: `from campaigns import Store` works, while
`import campaigns` stays cheap (no submodule is imported until one of its names is asked for).

Each package lists its face as {module: names}; `__all__` is the sorted names. tests/test_public_api.py
checks that every name used across packages is on its package's face and that each resolves.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_face"]


def lazy_face(package: str, face: Mapping[str, tuple[str, ...]], namespace: dict[str, Any]
              ) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """`__all__`, the module `__getattr__` (PEP 562) and `__dir__` for a package's face."""
    where = {name: module for module, names in face.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # looked up once
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *where})

    return sorted(where), __getattr__, __dir__
