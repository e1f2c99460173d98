"""Several nodes on one machine, as production runs them (README "Topology"): application nodes (gunicorn
with the production settings) and queue workers (`manage.py worker`), each its own process, sharing only
what production nodes share: the PostgreSQL database, a Redis server started here, an S3-compatible server
(moto's server mode) and an SMTP server. Each node has a disk folder of its own, so nothing can pass
between them through the file system."""

import asyncio
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.servers import SMTPController, bound_socket

ROOT = settings.BASE_DIR


def wait_for(predicate, *, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Inbox:
    """The SMTP server's side: every message it accepted, once per delivery. `hold()` makes the next
    delivery wait before its answer, as a slow mail server does, until `release()`; a held delivery whose
    sender has gone is not accepted."""

    def __init__(self):
        self.accepted = []
        self.holding = threading.Event()
        self.held = threading.Event()
        self.delay = 0.0  # seconds each delivery takes to be answered, as over a real network

    def hold(self):
        self.held.clear()
        self.holding.set()

    def release(self):
        self.holding.clear()

    async def handle_DATA(self, server, session, envelope):
        if self.holding.is_set():
            self.held.set()
            while self.holding.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"
        await asyncio.sleep(self.delay)
        self.accepted.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted"

    def message_ids(self):
        return [message["Message-ID"] for _recipients, message in self.accepted]


class Process:
    def __init__(self, name, command, env, log, pass_fds=()):
        self.name, self.command, self.env, self.log = name, command, env, log
        self.pass_fds = pass_fds
        self.popen = None

    def start(self):
        self.popen = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            pass_fds=self.pass_fds,
        )
        return self

    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    def stop(self, sig=signal.SIGTERM):
        if self.alive():
            os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()


class Cluster:
    """Two application nodes (a, b) and two workers (w1, w2); start() waits until all are ready."""

    def __init__(self, s3_server, redis_server):
        self.folder = Path(tempfile.mkdtemp(prefix="grants-multinode-"))
        self.inbox = Inbox()
        self.smtp = SMTPController(self.inbox)
        self.s3 = s3_server
        self.bucket = s3_server.new_bucket()
        self.redis_socket = redis_server
        params = connection.settings_dict
        host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        self.database_url = f"postgres://{params['USER']}@{host}/{params['NAME']}"
        self.processes = {}
        self.sockets = {}

    def environment(self, node):
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
        media = self.folder / node / "media"
        media.mkdir(parents=True, exist_ok=True)
        return {
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            # One secret for every node and for this test process, which makes the ministry's sessions.
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_STATIC_ROOT": str(self.folder / "static"),
            "DJANGO_MEDIA_ROOT": str(media),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_SITE_URL": "https://valtionavustukset.example.fi",
            "DATABASE_URL": self.database_url,
            "CACHE_URL": f"redis://{self.redis_socket}",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp.port}",
            "WORKER_HEARTBEAT_SECONDS": "0.5",
            # Thirty missed heartbeats: a worker starved of CPU for a few seconds on a busy machine is
            # not taken for dead (only the killed one is), at the cost of a longer wait in the kill test.
            "WORKER_LOST_AFTER_SECONDS": "15",
            **self.s3.environment(self.bucket),
        }

    def url(self, node, path):
        return f"http://127.0.0.1:{self.sockets[node].getsockname()[1]}{path}"

    def start(self):
        self.smtp.start()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.environment("static"),
            check=True,
        )
        for node in ("a", "b"):
            # gunicorn serves on a socket bound here and inherited (fd://), never on a port chosen earlier.
            self.sockets[node] = bound = bound_socket()
            self.processes[node] = Process(
                node,
                [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"fd://{bound.fileno()}"]
                + ["--workers", "1", "--access-logfile", "-"],
                self.environment(node),
                self.folder / f"{node}.log",
                pass_fds=(bound.fileno(),),
            ).start()
        for worker in ("w1", "w2"):
            self.start_worker(worker)
        for node in ("a", "b"):
            wait_for(lambda node=node: self.ready(node), timeout=60, what=f"node {node} ({self.log(node)})")
        return self

    def start_worker(self, name):
        self.processes[name] = Process(
            name,
            [sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-startup-delay", "-v", "1"],
            self.environment(name),
            self.folder / f"{name}.log",
        ).start()

    def ready(self, node):
        try:
            with urllib.request.urlopen(self.url(node, "/readyz"), timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def log(self, name):
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self):
        for process in self.processes.values():
            process.stop()
        self.smtp.stop()
        for bound in self.sockets.values():
            bound.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_redis(folder):
    """A Redis server of its own, keeping nothing on disk and listening on a Unix socket in `folder` only
    (no TCP port to collide with another run's); (process, socket path)."""
    path = str(Path(folder) / "redis.sock")
    process = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", path, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: _answers(path), timeout=20, what="redis-server")
    return process, path


def _answers(path):
    try:
        with socket.socket(socket.AF_UNIX) as conn:
            conn.settimeout(1)
            conn.connect(path)
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False
