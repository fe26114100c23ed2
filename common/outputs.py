"""All-or-nothing output for a command: the previous complete set of files, or the new one.

`output_folder(out)` hands the command a hidden staging folder beside `out`; only when the
command finished is a manifest written and the staging folder swapped in for `out` (one atomic
exchange on Linux; elsewhere two renames with signals held off). `output_files(a, b)` does the same
for separate files: they are written unnamed (Linux `O_TMPFILE`) or as hidden partial files, and
all put in place together at the end. A run stopped with Ctrl-C or `kill` cleans up at once; one
killed outright (`kill -9`, power loss) may leave a hidden staging folder or partial file, which the
next run for the same target removes (or, if the swap was half done, puts back). Files get the
ordinary permissions of the user's umask, like any other file they create.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import errno
import hashlib
import json
import os
import secrets
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from .errors import InputError, problem

__all__ = ["MANIFEST", "manifest_files", "output_files", "output_folder", "stopped_by_signals"]

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "kampanjplaneraren-manifest/1"
_PARTIAL = "partial"
_OLD = "old"


def _sibling(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(target: Path) -> Iterator[tuple[Path, str]]:
    """Hidden siblings that runs for `target` left behind when they were killed outright."""
    prefix = f".{target.name}."
    if not target.parent.is_dir():
        return
    for p in target.parent.iterdir():
        if not p.name.startswith(prefix):
            continue
        kind, _, rest = p.name[len(prefix):].partition("-")
        pid = rest.split("-", 1)[0]
        if kind in (_PARTIAL, _OLD) and pid.isdigit() and not _alive(int(pid)):
            yield p, kind


def _recover(target: Path) -> None:
    """Remove what killed runs left; if one died between its two renames, put the old set back."""
    for path, kind in list(_leftovers(target)):
        if kind == _OLD and not target.exists():
            os.rename(path, target)
        elif path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


class _Stopped(SystemExit):
    pass


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into an exception while writing, so cleanup runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Stopped(128 + signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """No interruption between the renames that put a set in place (Unix; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where not available."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def _swap_in(staging: Path, target: Path) -> None:
    with _signals_held():
        if not target.exists():
            os.rename(staging, target)
            return
        if _exchange(staging, target):
            shutil.rmtree(staging, ignore_errors=True)
            return
        old = _sibling(target, _OLD)
        os.rename(target, old)
        os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def _write_manifest(folder: Path, command: str) -> None:
    files = []
    for p in sorted(q for q in folder.rglob("*") if q.is_file()):
        data = p.read_bytes()
        files.append({"path": p.relative_to(folder).as_posix(), "bytes": len(data),
                      "sha256": hashlib.sha256(data).hexdigest()})
    manifest = {"format": MANIFEST_FORMAT, "command": command,
                "written": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(), "files": files}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def manifest_files(folder: str | Path) -> list[str] | None:
    """The files a run listed in `folder`'s manifest; None when the folder has no manifest of ours."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return None
    return [str(f["path"]) for f in data.get("files", [])]


def _check_target(out: Path) -> None:
    """The folder must be new, empty, or one an earlier run wrote (it will be replaced whole)."""
    if out.exists() and not out.is_dir():
        raise InputError([problem("output.not_a_folder", where=str(out))])
    if out.is_dir() and any(out.iterdir()) and manifest_files(out) is None:
        raise InputError([problem("output.not_ours", where=str(out), manifest=MANIFEST)])


@contextlib.contextmanager
def output_folder(out: str | Path, *, command: str) -> Iterator[Path]:
    """Write a command's files into the yielded staging folder; they replace `out` as a whole
    (listed in `out/manifest.json`) only if the block finishes. InputError before anything is
    written when `out` is a file, or a folder with files this tool did not write."""
    target = Path(out).absolute()
    _recover(target)
    _check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = _sibling(target, _PARTIAL)
    os.mkdir(staging)  # mode 0o777 less the umask, like any folder the user makes
    try:
        with stopped_by_signals():
            yield staging
            _write_manifest(staging, command)
            _swap_in(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _anonymous(target: Path) -> tuple[int, Path] | None:
    """An unnamed file in target's folder (Linux O_TMPFILE): a killed run leaves nothing behind."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not Path("/proc/self/fd").is_dir():
        return None
    try:
        fd = os.open(target.parent, flag | os.O_RDWR, 0o666)
    except OSError:
        return None
    return fd, Path(f"/proc/self/fd/{fd}")


def _link_anonymous(path: Path, named: Path) -> None:
    # linkat(..., AT_SYMLINK_FOLLOW) on /proc/self/fd/N names the unnamed file; Python only calls
    # linkat (rather than link, which would not follow) when given a directory descriptor.
    folder = os.open(named.parent, os.O_RDONLY)
    try:
        os.link(path, named, src_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


@contextlib.contextmanager
def output_files(*targets: str | Path) -> Iterator[list[Path]]:
    """Paths to write each target's new content to; all targets are replaced together at the end,
    or none is. Permissions are the umask's, as for any new file. InputError, before anything is
    written, when a target is a folder."""
    paths = [Path(t).absolute() for t in targets]
    folders = [problem("output.is_a_folder", where=str(p)) for p in paths if p.is_dir()]
    if folders:
        raise InputError(folders)
    for p in paths:
        _recover(p)
        p.parent.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, int | None, Path]] = []  # target, fd of an unnamed file, path to write
    try:
        for p in paths:
            anon = _anonymous(p)
            if anon is not None:
                staged.append((p, anon[0], anon[1]))
            else:
                named = _sibling(p, _PARTIAL)
                os.close(os.open(named, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
                staged.append((p, None, named))
        with stopped_by_signals():
            yield [path for _, _, path in staged]
            with _signals_held():
                for target, fd, path in staged:
                    if fd is not None:  # give the unnamed file a name for an instant, then its own
                        named = _sibling(target, _PARTIAL)
                        _link_anonymous(path, named)
                        os.replace(named, target)
                    else:
                        os.replace(path, target)
    finally:
        for _, fd, path in staged:
            if fd is not None:
                os.close(fd)
            else:
                path.unlink(missing_ok=True)
