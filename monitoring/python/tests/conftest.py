import socket
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # scripted_portal and stack helpers sit beside the tests

from scripted_portal import ScriptedPortal  # noqa: E402


@pytest.fixture
def portal():
    server = ScriptedPortal().start()
    yield server
    server.stop()


@pytest.fixture
def spool_dir(tmp_path) -> Path:
    return tmp_path / "TcPortalMonitor" / "spool"


@pytest.fixture
def client_env(monkeypatch, portal, spool_dir):
    """Points the client at the scripted portal with short time limits, so tests stay fast."""
    monkeypatch.setenv("TC_PORTAL_BASE_URL", portal.base_url)
    monkeypatch.setenv("TC_PORTAL_WEBHOOK_SECRET", "unit-test-secret")
    monkeypatch.setenv("TC_PORTAL_SPOOL_DIR", str(spool_dir))
    monkeypatch.setenv("TC_PORTAL_TIMEOUT_SEC", "2")
    monkeypatch.setenv("TC_PORTAL_MAX_ATTEMPTS", "4")
    monkeypatch.setenv("TC_PORTAL_MAX_TOTAL_SEC", "15")
    monkeypatch.setenv("COMPUTERNAME", "PC-UNIT-01")
    return monkeypatch


def free_port() -> int:
    """A loopback port with nothing listening: a portal that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def down_port() -> int:
    return free_port()
