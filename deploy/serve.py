"""Serve the app with several server processes behind nginx: `make serve`, `make serve-stop`.

    python deploy/serve.py start [--workers 2] [--port 8501] [--backend-port 8511] [--address 127.0.0.1]
    python deploy/serve.py status
    python deploy/serve.py stop

One Streamlit process uses one core (Python's global interpreter lock), so a region's officers
are spread over `--workers` processes (default: one per core) on ports `--backend-port`,
`--backend-port + 1`, …, all on 127.0.0.1; nginx listens on `--address:--port` and keeps each
browser on the process where its session lives (deploy/nginx.conf.template). Each process starts
with `server.py`, which warms the sample region's caches before it accepts anyone; fitted
segments are shared between the processes through the cache directory (app_pages/sharedcache.py).

Serving fails closed: without login configured (`.streamlit/secrets.toml`, README "Working
together"), or with a login configuration the app would refuse, `start` refuses any `--address`
that is not loopback. nginx passes each browser's address (X-Real-IP) and the app processes are
told where nginx listens (KAMPANJ_PUBLIC_ADDRESS), so the app's own check sees through the proxy.

Process ids, logs and the generated nginx.conf live in `--run-dir` (default
/tmp/kampanjplaneraren-serve). nginx comes from Debian: `apt-get install nginx-light`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

__all__ = ["Stack", "default_workers", "find_nginx", "main", "running_pids", "secrets_files"]

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
START_TIMEOUT = 240.0  # seconds: a cold start fits the sample segments before the port opens


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def running_pids(run_dir: Path) -> list[int]:
    """Process ids from the run directory's pid files that are still alive."""
    pids = []
    for f in sorted(run_dir.glob("*.pid")):
        try:
            pid = int(f.read_text().strip())
            os.kill(pid, 0)
            pids.append(pid)
        except (OSError, ValueError):
            continue
    return pids


class Stack:
    """The app server processes and the proxy in front of them, started and stopped together."""

    def __init__(self, run_dir: Path, port: int = 8501, backend_port: int = 8511, workers: int = 2,
                 address: str = "127.0.0.1") -> None:
        self.run_dir, self.port, self.workers, self.address = Path(run_dir), port, workers, address
        self.backend_ports = [backend_port + i for i in range(workers)]

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "::") else self.address
        return f"http://{host}:{self.port}"

    def refusal(self) -> str | None:
        """Why this stack may not start (None: it may): local mode beyond this computer, or a
        login configuration the app would stop on."""
        if str(ROOT) not in sys.path:  # run as a script: python deploy/serve.py
            sys.path.insert(0, str(ROOT))
        from campaigns.login_setup import read_login_setup, region_municipalities, serving_refusal

        setup = read_login_setup(secrets_files(), region_municipalities(ROOT / "data" / "regions"))
        return serving_refusal(setup, [self.address])

    def start(self) -> None:
        refused = self.refusal()
        if refused:
            sys.exit(refused)
        nginx = find_nginx()
        if nginx is None:
            sys.exit("nginx is not installed. On Debian: apt-get install nginx-light (see README, Serving a region).")
        if running_pids(self.run_dir):
            sys.exit(f"already running from {self.run_dir} (python deploy/serve.py stop --run-dir {self.run_dir})")
        busy = [p for p in [self.port, *self.backend_ports] if _port_busy(p)]
        if busy:
            sys.exit(f"port(s) {', '.join(map(str, busy))} are in use; choose others with --port/--backend-port")
        (self.run_dir / "nginx-tmp").mkdir(parents=True, exist_ok=True)
        self.run_dir.chmod(0o700)
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
               # One secret for every process, so cookies signed by one are valid in all.
               "STREAMLIT_SERVER_COOKIE_SECRET": os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET")
               or secrets.token_urlsafe(32),
               "KAMPANJ_PUBLIC_ADDRESS": self.address}
        ready = [self.run_dir / f"app-{i}.ready" for i in range(self.workers)]
        try:
            for i, port in enumerate(self.backend_ports):
                ready[i].unlink(missing_ok=True)
                self._spawn(f"app-{i}", [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"),
                                         "--server.port", str(port), "--server.address", "127.0.0.1",
                                         "--server.headless", "true", "--server.fileWatcherType", "none"],
                            {**env, "KAMPANJ_READY_FILE": str(ready[i])})
            for port in self.backend_ports:
                _wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", START_TIMEOUT)
            _wait_for_files(ready, START_TIMEOUT)  # each process has visited every page once
            conf = self.run_dir / "nginx.conf"
            conf.write_text(self.nginx_conf(), encoding="utf-8")
            check = subprocess.run([nginx, "-t", "-q", "-p", str(self.run_dir), "-c", str(conf)],
                                   capture_output=True, text=True)
            if check.returncode:
                raise RuntimeError("nginx refused the configuration:\n" + check.stderr)
            self._spawn("nginx", [nginx, "-p", str(self.run_dir), "-c", str(conf)], env)
            _wait_healthy(f"{self.url}/_stcore/health", 30)
        except BaseException:
            self.stop()
            raise
        print(f"serving on {self.url} with {self.workers} app processes (logs in {self.run_dir})")

    def nginx_conf(self) -> str:
        listen = f"[{self.address}]:{self.port}" if ":" in self.address else f"{self.address}:{self.port}"
        upstreams = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;"
                              for p in self.backend_ports)
        return (TEMPLATE.read_text(encoding="utf-8").replace("{run_dir}", str(self.run_dir))
                .replace("{listen}", listen).replace("{upstreams}", upstreams))

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        with (self.run_dir / f"{name}.log").open("ab") as log:
            proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                    start_new_session=True)
        (self.run_dir / f"{name}.pid").write_text(str(proc.pid))

    def stop(self) -> None:
        """Stop what this run directory started (by its recorded process ids only)."""
        pids = running_pids(self.run_dir)
        for pid in pids:
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.2)
        for pid in pids:
            if _alive(pid):
                _signal(pid, signal.SIGKILL)
        for f in self.run_dir.glob("*.pid"):
            f.unlink(missing_ok=True)

    def status(self) -> str:
        pids = running_pids(self.run_dir)
        return f"{len(pids)} processes running from {self.run_dir}" if pids else f"not running ({self.run_dir})"


def secrets_files() -> list[Path]:
    """Where Streamlit reads secrets from (its default `secrets.files`)."""
    return [Path.home() / ".streamlit" / "secrets.toml", ROOT / ".streamlit" / "secrets.toml"]


def _port_busy(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_healthy(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def _wait_for_files(paths: list[Path], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not all(p.exists() for p in paths):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the app processes did not finish warming up within {timeout:.0f} s")
        time.sleep(0.3)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie child of this process counts as gone
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except OSError:
        pass


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Several app server processes behind nginx with sticky sessions.")
    p.add_argument("action", choices=["start", "stop", "status", "config"])
    p.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS") or default_workers()))
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8501))
    p.add_argument("--backend-port", type=int, default=int(os.environ.get("BACKEND_PORT") or 8511))
    p.add_argument("--address", default=os.environ.get("ADDRESS") or "127.0.0.1",
                   help="where nginx listens (0.0.0.0 for every interface)")
    p.add_argument("--run-dir", type=Path, default=Path(os.environ.get("RUN_DIR") or "/tmp/kampanjplaneraren-serve"))
    args = p.parse_args(argv)
    stack = Stack(args.run_dir, args.port, args.backend_port, args.workers, args.address)
    if args.action == "start":
        stack.start()
    elif args.action == "stop":
        stack.stop()
        print(f"stopped ({args.run_dir})")
    elif args.action == "config":
        print(stack.nginx_conf())
    else:
        print(stack.status())


if __name__ == "__main__":
    main()
