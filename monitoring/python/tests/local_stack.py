"""Starts the real TC Portal Monitor (deploy/local-stack) for the client tests, and reads its database.

The stack is the one-command launcher: a KRaft broker, PostgreSQL, the gateway, the processor and
the incidents service. It prints a line containing READY_LINE once all are healthy, and stops
everything on SIGTERM. Each port is chosen free here, so a stack someone else runs on the default
ports does not get in the way; that includes the HTTPS ports of the gateway and the dashboard,
served with a certificate from the stack's own CA (``<data>/tls/ca.pem``). The embedded
PostgreSQL's superuser password is read from ``<data>/secrets/postgres-password`` when the stack
made one (older stacks had none).
"""

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, List, Optional, TypeVar

READY_LINE = "TC Portal Monitor is ready"
REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
STACK_JAR = Path(
    os.environ.get("TCPORTAL_TEST_STACK_JAR")
    or REPOSITORY_ROOT / "deploy" / "local-stack" / "target" / "tcportal-local-stack.jar"
)
START_DEADLINE_SEC = float(os.environ.get("TCPORTAL_TEST_STACK_START_SEC", "420"))

T = TypeVar("T")


_HANDED_OUT = set()


def free_port() -> int:
    """A port free now and not handed out before in this run: the system may give the same free
    port twice in a row, and two services of one stack cannot share one."""
    for _ in range(100):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port
    raise RuntimeError("no new free port after 100 tries")


def eventually(check: Callable[[], T], timeout: float = 60, interval: float = 0.25, what: str = "condition") -> T:
    """Polls until check() returns something truthy (the pytest side of Awaitility's await().until)."""
    deadline = time.monotonic() + timeout
    last_error: Optional[BaseException] = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except AssertionError as error:
            last_error = error
        time.sleep(interval)  # polling interval of the wait, not a wait for a guessed duration
    raise AssertionError("timed out after {}s waiting for {}".format(timeout, what)) from last_error


class LocalStack:
    def __init__(self, work_dir: Path, secret: str) -> None:
        self.work_dir = work_dir
        self.secret = secret
        self.gateway_port = free_port()
        self.gateway_https_port = free_port()
        self.incidents_https_port = free_port()
        self.postgres_port = free_port()
        self.data_dir = work_dir / "data"
        self.process: Optional[subprocess.Popen] = None
        self.output_file = work_dir / "local-stack.out"
        self._ready = threading.Event()
        self._saw_ready_line = False
        self._lines: List[str] = []

    @property
    def base_url(self) -> str:
        return "http://127.0.0.1:{}".format(self.gateway_port)

    @property
    def https_base_url(self) -> str:
        """The gateway over TLS; the stack's certificate names localhost and 127.0.0.1."""
        return "https://localhost:{}".format(self.gateway_https_port)

    @property
    def ca_file(self) -> Path:
        """The stack's local CA, made at first start: what a PC imports (or TC_PORTAL_CA_FILE names)."""
        return self.data_dir / "tls" / "ca.pem"

    def postgres_password(self) -> str:
        secret = self.data_dir / "secrets" / "postgres-password"
        return secret.read_text(encoding="utf-8").strip() if secret.exists() else ""

    def start(self) -> "LocalStack":
        data_dir = self.data_dir
        shutil.rmtree(data_dir, ignore_errors=True)
        self.work_dir.mkdir(parents=True, exist_ok=True)
        kafka_port = free_port()
        env = dict(
            os.environ,
            TC_PORTAL_WEBHOOK_SECRET=self.secret,
            TCPORTAL_DATA_DIR=str(data_dir),
            TCPORTAL_POSTGRES_PORT=str(self.postgres_port),
            TCPORTAL_GATEWAY_PORT=str(self.gateway_port),
            TCPORTAL_GATEWAY_HTTPS_PORT=str(self.gateway_https_port),
            TCPORTAL_INCIDENTS_PORT=str(free_port()),
            TCPORTAL_INCIDENTS_HTTPS_PORT=str(self.incidents_https_port),
            TCPORTAL_PROCESSOR_PORT=str(free_port()),
            TCPORTAL_NOTIFIER_PORT=str(free_port()),
            TCPORTAL_KAFKA_PORT=str(kafka_port),
            TCPORTAL_KAFKA_CONTROLLER_PORT=str(free_port()),
            TCPORTAL_ECHO_SERVICE_LOGS="false",
        )
        self.process = subprocess.Popen(
            ["java", "-jar", str(STACK_JAR)],
            cwd=str(REPOSITORY_ROOT),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        threading.Thread(target=self._read_output, daemon=True).start()
        self._ready.wait(START_DEADLINE_SEC)
        if not self._saw_ready_line or self.process.poll() is not None:
            tail = "".join(self._lines[-40:])
            self.stop()
            raise RuntimeError("the local stack did not become ready:\n" + tail)
        return self

    def _read_output(self) -> None:
        with open(self.output_file, "w", encoding="utf-8") as copy:
            for raw in self.process.stdout:
                line = raw.decode("utf-8", "replace")
                copy.write(line)
                copy.flush()
                self._lines.append(line)
                if READY_LINE in line:
                    self._saw_ready_line = True
                    self._ready.set()
        self._ready.set()  # the process ended: let start() notice instead of waiting out the deadline

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # SIGTERM: the launcher stops the services, the broker, the database
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)

    def query(self, sql: str) -> List[dict]:
        """Rows as dicts, through psql, so the check reads the database the way an operator would."""
        completed = subprocess.run(
            [
                "psql", "-h", "127.0.0.1", "-p", str(self.postgres_port), "-U", "postgres", "-d", "tcportal",
                "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-c", "SELECT row_to_json(result) FROM ({}) AS result".format(sql),
            ],
            env=dict(os.environ, PGCLIENTENCODING="UTF8", PGPASSWORD=self.postgres_password(), PGCONNECT_TIMEOUT="10"),
            capture_output=True,
            timeout=60,
        )
        if completed.returncode != 0:
            raise AssertionError("psql failed: " + completed.stderr.decode("utf-8", "replace"))
        return [json.loads(line) for line in completed.stdout.decode("utf-8").splitlines() if line.strip()]
