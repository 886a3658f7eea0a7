"""The PowerShell and Python clients share a spool folder format, settings and defaults; these
checks read both sources so one cannot drift from the other. Also: the Python package stays
within Python 3.8 syntax, as promised."""

import ast
import re
from datetime import datetime, timezone
from pathlib import Path

from tcportal_monitor import _settings, _spool

MONITORING = Path(__file__).resolve().parents[2]
PS1 = (MONITORING / "windows" / "tcportal-monitor.ps1").read_text(encoding="ascii")
PACKAGE = MONITORING / "python" / "tcportal_monitor"


def test_python_package_is_valid_python_3_8():
    for source in sorted(PACKAGE.glob("*.py")):
        ast.parse(source.read_text(encoding="utf-8"), filename=str(source), feature_version=(3, 8))


def test_powershell_reads_spool_files_the_python_client_writes():
    ps1_pattern = re.search(r"\$script:SpoolPattern = '([^']+)'", PS1).group(1)
    assert ps1_pattern == _spool._NAME.pattern.replace("?P<stamp>", "").replace("?P<key>", "").replace("?P<failures>", "")
    key = "3f2c1d4e-5b6a-4789-8abc-def012345678"
    name = _spool.file_name(key, datetime(2026, 1, 22, 9, 0, 0, 123456, tzinfo=timezone.utc))

    assert name == "20260122T0900001234560Z-" + key + ".json"
    match = re.match(ps1_pattern, name)
    assert match and match.group(2) == key


def test_python_reads_spool_files_powershell_writes_in_order(tmp_path):
    ps1_format = re.search(r"ToString\('(yyyyMMddTHHmmssf+)'", PS1).group(1)
    assert ps1_format == "yyyyMMddTHHmmssfffffff"  # 7 fractional digits, as the Python names have
    key = "3f2c1d4e-5b6a-4789-8abc-def012345678"
    written_by_ps1 = tmp_path / "20260122T0900001234567Z-{}.json".format(key)
    written_by_python = tmp_path / _spool.file_name(
        "00000000-0000-4000-8000-000000000000", datetime(2026, 1, 22, 9, 0, 1, tzinfo=timezone.utc)
    )
    for path in (written_by_python, written_by_ps1):
        path.write_bytes(b"{}")

    assert [r.path for r in _spool.pending(tmp_path)] == [written_by_ps1, written_by_python]


def test_both_clients_read_the_same_settings_with_the_same_defaults():
    ps1_defaults = {
        name: float(value)
        for name, value in re.findall(r"Get-NumberSetting '(TC_PORTAL_[A-Z_]+)' ([0-9.]+) ", PS1)
    }

    assert ps1_defaults == {
        "TC_PORTAL_TIMEOUT_SEC": _settings.DEFAULT_TIMEOUT_SEC,
        "TC_PORTAL_MAX_ATTEMPTS": _settings.DEFAULT_MAX_ATTEMPTS,
        "TC_PORTAL_MAX_TOTAL_SEC": _settings.DEFAULT_MAX_TOTAL_SEC,
        "TC_PORTAL_SPOOL_MAX_FILES": _settings.DEFAULT_SPOOL_MAX_FILES,
        "TC_PORTAL_SPOOL_MAX_FAILURES": _settings.DEFAULT_SPOOL_MAX_FAILURES,
    }
    ps1_variables = set(re.findall(r"Get-(?:Number)?Setting '(TC_PORTAL_[A-Z_]+)'", PS1))
    python_variables = set(re.findall(r'get\("(TC_PORTAL_[A-Z_]+)"\)', (PACKAGE / "_settings.py").read_text()))
    # TC_PORTAL_CA_FILE is Python's only: PowerShell trusts what the Windows certificate store trusts.
    assert ps1_variables == python_variables - {"TC_PORTAL_CA_FILE"}
    assert not hasattr(_settings, "DEFAULT_BASE_URL") and "DefaultBaseUrl" not in PS1
    assert "'TcPortalMonitor') 'spool'" in PS1 and "tcportal-monitor.log" in PS1
