"""A tiny in-process stand-in for the gateway that answers from a script and records every request.

It checks nothing about the report itself: the real-gateway tests do that. It exists to prove the
client's own behaviour (retries, back-off, time cap, spool) quickly and deterministically.
"""

import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List, NamedTuple, Optional


class Answer(NamedTuple):
    status: int = 200
    body: Optional[dict] = None
    headers: Dict[str, str] = {}
    delay: float = 0.0  # seconds before answering, to provoke client timeouts


class Received(NamedTuple):
    path: str
    headers: Dict[str, str]
    body: bytes
    at: float

    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))


OK = Answer(200, {"ok": True, "monitor_id": "550e8400-e29b-41d4-a716-446655440000", "task_key": "t"})


class ScriptedPortal:
    def __init__(self, tls: Optional[ssl.SSLContext] = None) -> None:
        self.script: List[Answer] = []
        self.otherwise = OK
        # Answers chosen by the body (None: the script, then otherwise), e.g. one report that always fails.
        self.by_body: Callable[[bytes], Optional[Answer]] = lambda body: None
        self._scheme = "https" if tls else "http"
        self.received: List[Received] = []
        self._lock = threading.Lock()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with portal._lock:
                    portal.received.append(
                        Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic())
                    )
                    answer = portal.by_body(body) or (portal.script.pop(0) if portal.script else portal.otherwise)
                if answer.delay:
                    time.sleep(answer.delay)  # server side only: simulates a slow portal
                payload = json.dumps(answer.body if answer.body is not None else {}).encode("utf-8")
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, which is what a timeout test wants

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return "{}://127.0.0.1:{}".format(self._scheme, self._server.server_address[1])

    def start(self) -> "ScriptedPortal":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
