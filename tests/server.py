"""The real servers for tests and benchmarks: gunicorn with the settings `make run` uses, redis-server and nginx with
the settings of deploy/, each on a free loopback port; and what the browser tests' Werkzeug server needs."""
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
from werkzeug.serving import WSGIRequestHandler

ROOT = Path(__file__).resolve().parent.parent


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # the test server, like gunicorn here, logs no client
        pass


def closing_on_drop(app):
    """Close every response body, also when the browser drops the connection.

    Werkzeug's server skips the body's close() when its read after the response meets a reset connection (a page
    reloaded while the favicon was still coming). The open file was then closed by the garbage collector with a
    ResourceWarning, which this suite treats as an error. The generator's own close, run when it is dropped, closes the
    body; gunicorn, which serves the product, always closes it.
    """
    def wsgi(environ, start_response):
        body = app(environ, start_response)

        def chunks():
            try:
                yield from body
            finally:
                if hasattr(body, "close"):
                    body.close()
        return chunks()
    return wsgi


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


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """Make a self-signed certificate for enkat.kommun.example and 127.0.0.1 with openssl; return (certificate, key)."""
    certificate, key = folder / "site.pem", folder / "site.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", str(key),
                    "-out", str(certificate), "-subj", "/CN=enkat.kommun.example",
                    "-addext", "subjectAltName=DNS:enkat.kommun.example,IP:127.0.0.1"], check=True, capture_output=True)
    return certificate, key


def nginx_config(folder: Path, instances: list[str], certificate: Path, key: Path) -> tuple[Path, dict[str, int]]:
    """Write an nginx.conf in folder holding deploy/nginx's site and proxy snippet as installed, with only what must
    differ on this machine changed: the instances' addresses, loopback ports for 80 and 443, the certificate's
    and the snippet's paths, the error log. One server block is added: plain HTTP on a third port with the same
    snippet (for benchmarks that compare with plain HTTP). Return the conf and the ports by kind."""
    ports = {"redirect": free_port(), "https": free_port(), "plain": free_port()}
    site = (ROOT / "deploy" / "nginx" / "survey.conf").read_text()
    upstream = "".join(f"    server {address}\\1;\n" for address in instances)
    site = re.sub(r"(?:    server 127\.0\.0\.1:800\d( [^;]*);\n)+", upstream, site)
    site = re.sub(r"    listen \[::\]:\d+[^;]*;\n", "", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{ports['redirect']};").replace(
        "listen 443 ", f"listen 127.0.0.1:{ports['https']} ")
    site += f"\nserver {{\n    listen 127.0.0.1:{ports['plain']};\n    include {folder / 'survey-proxy.conf'};\n}}\n"
    site = site.replace("/etc/ssl/certs/enkat.kommun.example.pem", str(certificate)).replace(
        "/etc/ssl/private/enkat.kommun.example.key", str(key)).replace(
        "/etc/nginx/snippets/survey-proxy.conf", str(folder / "survey-proxy.conf"))
    snippet = (ROOT / "deploy" / "nginx" / "survey-proxy.conf").read_text().replace(
        "/var/log/nginx/survey-error.log", str(folder / "nginx-site-error.log"))
    (folder / "survey-proxy.conf").write_text(snippet)
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                          "scgi"))
    conf = folder / "nginx.conf"
    conf.write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
{temp}
{site}
}}
""")
    return conf, ports


def nginx_test(folder: Path, conf: Path) -> subprocess.CompletedProcess:
    """Run `nginx -t` on a configuration (its prefix and error log in folder)."""
    return subprocess.run(["nginx", "-t", "-e", str(folder / "nginx-error.log"), "-p", str(folder), "-c", str(conf)],
                          capture_output=True, text=True, check=False)


@contextmanager
def nginx_proxy(folder: Path, instances: list[str], certificate: Path, key: Path, timeout: float = 15):
    """Run Debian's nginx with deploy/nginx's site (see nginx_config) in front of these instances ("127.0.0.1:PORT");
    yield its URLs by kind: https, redirect (HTTP, sending people on to HTTPS) and plain (HTTP, no TLS)."""
    conf, ports = nginx_config(folder, instances, certificate, key)
    proc = subprocess.Popen(["nginx", "-e", str(folder / "nginx-error.log"), "-p", str(folder), "-c", str(conf)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                for port in ports.values():
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start; see {folder / 'nginx-error.log'}") from None
                time.sleep(0.05)
        yield {kind: f"{'https' if kind == 'https' else 'http'}://127.0.0.1:{port}" for kind, port in ports.items()}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
