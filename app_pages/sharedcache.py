"""Results keyed by their inputs, in files that every server process of the app reads.

Streamlit's own caches live in one process. Behind the proxy (`make serve`) several processes
serve the same region, and each would fit the same segments again; here one process computes a
result, the others (and the next start) read it. A result's key is a digest of everything it
depends on: the content of the input files, the user's choices and the code that computes it
(`code_version`), so an edited file or a new release never returns a stale result.

Only results derived from bundled sample files are stored here (see `_cached.py`): uploaded
citizen data and what is fitted on it stay in the memory of the session's process.

Files are pickles written by this app into a directory only its user can open (0700); never
point `KAMPANJ_CACHE_DIR` at a directory that others can write to.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from filelock import FileLock

from common.files import write_atomic

__all__ = ["SharedCache", "code_version", "file_digest", "shared_cache"]

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("common", "segments", "campaigns", "templates")
MAX_FILES = 400  # a few hundred results (~0.5 MB each at most); the oldest go first


def code_version() -> str:
    """A digest of the core's source, the templates and the installed library versions."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        h = hashlib.sha256()
        for d in CODE_DIRS:
            for path in sorted((ROOT / d).rglob("*")):
                if path.is_file() and path.suffix in {".py", ".j2", ".yaml", ".po"}:
                    h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
        h.update((ROOT / "requirements.txt").read_bytes() if (ROOT / "requirements.txt").exists() else b"")
        _CODE_VERSION = h.hexdigest()[:16]
    return _CODE_VERSION


_CODE_VERSION: str | None = None
_FILE_DIGESTS: dict[tuple[str, int, int], str] = {}


def file_digest(path: str | Path) -> str:
    """The SHA-256 of a file's content, remembered while its size and modification time stay."""
    p = Path(path)
    st = p.stat()
    key = (str(p.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _FILE_DIGESTS:
        _FILE_DIGESTS[key] = hashlib.sha256(p.read_bytes()).hexdigest()
    return _FILE_DIGESTS[key]


class SharedCache:
    """A directory of pickled results, one file per digest of (namespace, inputs, code version)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def key(self, namespace: str, inputs: tuple[object, ...]) -> str:
        text = repr((namespace, code_version(), inputs)).encode("utf-8")
        return f"{namespace}-{hashlib.sha256(text).hexdigest()[:32]}"

    def get_or_compute(self, namespace: str, inputs: tuple[object, ...], compute: Callable[[], T]) -> T:
        """The stored result for these inputs; computed once (under a lock) when there is none.

        `inputs` must be plain values whose `repr` names them exactly (strings, numbers, tuples,
        frozen dataclasses); file inputs go in as `file_digest(path)`.
        """
        key = self.key(namespace, inputs)
        path = self.directory / f"{key}.pickle"
        found = self._read(path)
        if found is not None:
            return found  # type: ignore[no-any-return]
        with self._lock(key):
            found = self._read(path)  # another process may have written it while we waited
            if found is not None:
                return found  # type: ignore[no-any-return]
            value = compute()
            self._write(path, value)
            return value

    def _read(self, path: Path) -> object | None:
        try:
            with path.open("rb") as f:
                value = pickle.load(f)
        except FileNotFoundError:
            return None
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            path.unlink(missing_ok=True)  # unreadable (e.g. a class that changed): compute it again
            return None
        return value

    def _write(self, path: Path, value: object) -> None:
        try:
            write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            return  # a cache that cannot be written only costs time
        self._prune()

    @contextlib.contextmanager
    def _lock(self, key: str) -> Iterator[None]:
        """One process computes a result at a time (filelock: an OS lock on a file beside the result)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            lock = FileLock(self.directory / f"{key}.lock", mode=0o600)
            lock.acquire()
        except OSError:
            yield  # no shared directory: compute without it
            return
        try:
            yield
        finally:
            lock.release()

    def _prune(self) -> None:
        try:
            files = list(self.directory.glob("*.pickle"))
            if len(files) <= MAX_FILES:
                return
            files.sort(key=lambda p: p.stat().st_mtime)
            for old in files[: len(files) - MAX_FILES * 3 // 4]:
                old.unlink(missing_ok=True)
                old.with_suffix(".lock").unlink(missing_ok=True)
        except OSError:
            return


def shared_cache() -> SharedCache:
    """$KAMPANJ_CACHE_DIR, else `cache/` under $KAMPANJ_DATA_DIR, else ~/.cache/kampanjplaneraren."""
    directory = os.environ.get("KAMPANJ_CACHE_DIR")
    if not directory:
        data = os.environ.get("KAMPANJ_DATA_DIR")
        directory = os.path.join(data, "cache") if data else os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kampanjplaneraren")
    return SharedCache(directory)
