"""Client settings, read from environment variables the way tcportal-monitor.ps1 reads them.

Lookup order (spec section 4.1): the process environment first, then, on Windows, the
machine-level environment in the registry, which a scheduled task started before a variable
was set does not yet see in its own environment.
"""

import os
import sys
from pathlib import Path
from typing import Callable, Mapping, NamedTuple, Optional

# No default portal URL: a missing or misspelt TC_PORTAL_BASE_URL must never send the fleet secret
# to somebody else's host (the spec's sketch defaulted to a public one). Reports are spooled instead.
DEFAULT_TIMEOUT_SEC = 10.0
DEFAULT_MAX_ATTEMPTS = 4
DEFAULT_MAX_TOTAL_SEC = 60.0
DEFAULT_SPOOL_MAX_FILES = 500
# A spooled report the portal keeps answering 5xx for (while it accepts others) is set aside into
# spool/stuck after this many runs, so one bad report cannot hold a PC's spool for ever.
DEFAULT_SPOOL_MAX_FAILURES = 5

_MACHINE_ENVIRONMENT_KEY = r"SYSTEM\CurrentControlSet\Control\Session Manager\Environment"


class Settings(NamedTuple):
    """Everything a report needs besides the report itself."""

    base_url: Optional[str]
    secret: Optional[str]
    spool_dir: Path
    timeout_sec: float
    max_attempts: int
    max_total_sec: float
    spool_max_files: int
    spool_max_failures: int = DEFAULT_SPOOL_MAX_FAILURES
    ca_file: Optional[str] = None

    @property
    def report_url(self) -> Optional[str]:
        """None when TC_PORTAL_BASE_URL is not set: then nothing is sent anywhere."""
        return self.base_url + "/api/monitor/report" if self.base_url else None

    @property
    def log_file(self) -> Path:
        """The client log lives beside the spool folder, as the PowerShell client's does."""
        return self.spool_dir.parent / "tcportal-monitor.log"


def _machine_variable(name: str) -> Optional[str]:
    if sys.platform != "win32":
        return None
    try:
        import winreg  # only on Windows

        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, _MACHINE_ENVIRONMENT_KEY) as key:
            value, _ = winreg.QueryValueEx(key, name)
            return str(value)
    except OSError:
        return None


def lookup(
    name: str,
    environ: Optional[Mapping[str, str]] = None,
    machine: Callable[[str], Optional[str]] = _machine_variable,
) -> Optional[str]:
    """A variable from the process environment, else the machine environment; blank counts as unset."""
    value = (os.environ if environ is None else environ).get(name)
    if value is None or not value.strip():
        value = machine(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def default_spool_dir(environ: Optional[Mapping[str, str]] = None) -> Path:
    """%ProgramData%\\TcPortalMonitor\\spool on Windows, the XDG state folder elsewhere."""
    env = os.environ if environ is None else environ
    program_data = env.get("ProgramData") or env.get("PROGRAMDATA")
    if sys.platform == "win32" and program_data:
        return Path(program_data) / "TcPortalMonitor" / "spool"
    state_home = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state_home) / "tcportal-monitor" / "spool"


def _number(text: Optional[str], default: float, minimum: float) -> float:
    try:
        value = float(text) if text is not None else default
    except ValueError:
        return default
    return max(minimum, value)


def load(environ: Optional[Mapping[str, str]] = None) -> Settings:
    """Reads the settings now, so a test or a long-running job sees later changes."""

    def get(name: str) -> Optional[str]:
        if environ is None:
            return lookup(name)
        return lookup(name, environ, lambda _: None)

    spool = get("TC_PORTAL_SPOOL_DIR")
    base_url = get("TC_PORTAL_BASE_URL")
    return Settings(
        base_url=base_url.rstrip("/") if base_url else None,
        secret=get("TC_PORTAL_WEBHOOK_SECRET"),
        spool_dir=Path(spool) if spool else default_spool_dir(environ),
        timeout_sec=_number(get("TC_PORTAL_TIMEOUT_SEC"), DEFAULT_TIMEOUT_SEC, 0.5),
        max_attempts=int(_number(get("TC_PORTAL_MAX_ATTEMPTS"), DEFAULT_MAX_ATTEMPTS, 1)),
        max_total_sec=_number(get("TC_PORTAL_MAX_TOTAL_SEC"), DEFAULT_MAX_TOTAL_SEC, 1),
        spool_max_files=int(_number(get("TC_PORTAL_SPOOL_MAX_FILES"), DEFAULT_SPOOL_MAX_FILES, 1)),
        spool_max_failures=int(_number(get("TC_PORTAL_SPOOL_MAX_FAILURES"), DEFAULT_SPOOL_MAX_FAILURES, 1)),
        ca_file=get("TC_PORTAL_CA_FILE"),
    )
