"""The real servers for tests and benchmarks: gunicorn with the settings `make run` uses, redis-server and nginx with
the settings of deploy/, each on a free loopback port."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def private_schema(postgres_url: str, prefix: str):
    """Yield a URL of a fresh schema on the PostgreSQL server, dropped afterwards."""
    schema = f"{prefix}_{os.getpid()}_{time.monotonic_ns() % 10**6}"
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{postgres_url}{'&' if '?' in postgres_url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


class Gunicorn:
    """gunicorn serving survey:create_app() on 127.0.0.1; can be killed with SIGKILL and started again."""

    def __init__(self, database_url: str, log: Path, secret: str = "test", **env: str):  # noqa: S107 -- test-only key
        self.port, self.log, self.proc = free_port(), log, None
        self.env = {**os.environ, "SURVEY_DATABASE_URL": database_url, "SURVEY_SECRET_KEY": secret,
                    "SURVEY_PORT": str(self.port), **env}
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> Gunicorn:
        """Start the server (appending to its log) and wait until it accepts connections."""
        with self.log.open("a") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "survey/gunicorn_conf.py",
                                          "survey:create_app()"], cwd=ROOT, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def workers(self) -> list[int]:
        """Return the process ids of the server's workers."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                found.append(int(stat.parent.name))
        return found

    def kill9(self) -> None:
        """Kill the master and every worker with SIGKILL, as a crash or the OOM killer would."""
        for pid in [self.proc.pid, *self.workers()]:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop the server gracefully."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


@contextmanager
def redis_server(folder: Path, timeout: float = 15):
    """Run Debian's redis-server on a free loopback port, keeping nothing on disk; yield its URL."""
    port = free_port()
    with (folder / "redis.log").open("a") as out:
        proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                 "--appendonly", "no", "--dir", str(folder)], stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while not _answers_ping(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start; see {folder / 'redis.log'}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def nginx_proxy(folder: Path, instances: list[str], timeout: float = 15):
    """Run Debian's nginx on a free loopback port in front of these instances ("127.0.0.1:PORT"), with the site's
    upstream settings and the proxy snippet of deploy/nginx (only its error log moved into `folder`); yield its URL."""
    port = free_port()
    site = (ROOT / "deploy" / "nginx" / "survey.conf").read_text()
    settings = re.search(r"server 127\.0\.0\.1:8001( [^;]*);", site).group(1)  # max_fails, fail_timeout
    servers = "".join(f"    server {address}{settings};\n" for address in instances)
    keepalive = " ".join(re.findall(r"keepalive(?:_timeout)? \w+;", site))
    snippet = (ROOT / "deploy" / "nginx" / "survey-proxy.conf").read_text().replace(
        "/var/log/nginx/survey-error.log", str(folder / "nginx-site-error.log"))
    (folder / "survey-proxy.conf").write_text(snippet)
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                          "scgi"))
    (folder / "nginx.conf").write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
{temp}
    upstream survey {{
{servers}        {keepalive}
    }}
    server {{
        listen 127.0.0.1:{port};
        include {folder / "survey-proxy.conf"};
    }}
}}
""")
    proc = subprocess.Popen(["nginx", "-e", str(folder / "nginx-error.log"), "-p", str(folder), "-c",
                             str(folder / "nginx.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start; see {folder / 'nginx-error.log'}") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
