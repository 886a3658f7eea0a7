"""wrap-and-report.bat under Wine, with a recording stand-in in place of PowerShell (through TC_PS).

Wine's cmd is close enough to run the wrapper's flow for real: exit codes, argument passing,
spaces and "!" in paths, the per-run log. Known Wine limits: `chcp 65001` fails (the wrapper
tolerates that), non-ASCII console text is garbled (these tests use ASCII names), and Wine's
powershell is a stub, hence the stand-in. The stand-in records its command line and answers the
wrapper's two clock questions with fixed values.
"""

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import sys

import pytest
from local_stack import eventually

pytestmark = pytest.mark.wine

WINDOWS_DIR = Path(__file__).resolve().parents[2] / "windows"
WRAPPER = WINDOWS_DIR / "wrap-and-report.bat"
MONITOR = WINDOWS_DIR / "tcportal-monitor.ps1"
TARGET_DIR = Path(__file__).resolve().parents[2] / "target"

STAND_IN = r"""@echo off
rem Recording stand-in for PowerShell (through TC_PS): writes its command line to TC_PS_RECORD and
rem answers the wrapper's two clock questions (start, then finish) with fixed values that carry
rem TC_PS_ID (0-9), so wrappers running at the same time can tell whose clock they read. The
rem start answer also carries a third word, a key, which the wrapper of before this fix used.
rem With TC_PS_SENDER, the report itself is handed to standin_sender.py (the Python client in the
rem sender's place), which posts it to the test's capture portal.
>>"%TC_PS_RECORD%" echo %*
if not "%~1"=="-Command" goto :report
if exist "%TC_PS_RECORD%.started" goto :finish_clock
type nul >"%TC_PS_RECORD%.started"
echo 2026-01-22T09:00:0%TC_PS_ID%.0000000Z 20260122-18000%TC_PS_ID%-000 3f2c1d4e-5b6a-4789-8abc-def01234567%TC_PS_ID%
rem TC_PS_SLOW: take about as long as PowerShell takes to start, so runs started together overlap.
if defined TC_PS_SLOW ping -n 2 127.0.0.1 >nul
exit /b 0
:finish_clock
echo 2026-01-22T09:05:30.0000000Z 330000
exit /b 0
:report
if defined TC_PS_SENDER "%TC_PS_SENDER%" "%TC_PS_SENDER_SCRIPT%" %*
exit /b %TC_PS_EXIT%
"""


def crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("ascii")


class Wine:
    def __init__(self, prefix: Path) -> None:
        self.prefix = prefix
        self.env = dict(os.environ, WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")

    @property
    def drive_c(self) -> Path:
        return self.prefix / "drive_c"

    def windows_path(self, path: Path) -> str:
        path = path.resolve()
        try:
            return "C:\\" + str(path.relative_to(self.drive_c.resolve())).replace("/", "\\")
        except ValueError:
            return "Z:" + str(path).replace("/", "\\")

    def cmd(self, bat: Path, env=None, timeout=120, cwd=None) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["wine", "cmd", "/c", self.windows_path(bat)],
            cwd=cwd,
            env=dict(self.env, **(env or {})),
            capture_output=True,
            timeout=timeout,
        )


@pytest.fixture(scope="session")
def wine():
    if shutil.which("wine") is None:
        if os.environ.get("CI"):
            pytest.fail("wine is not installed: apt-get install --no-install-recommends wine wine64")
        pytest.skip("wine is not installed (apt-get install --no-install-recommends wine wine64)")
    prefix = Path(os.environ.get("TCPORTAL_WINEPREFIX", str(TARGET_DIR / "wineprefix")))
    prefix.parent.mkdir(parents=True, exist_ok=True)
    runner = Wine(prefix)
    # The first start creates the prefix and takes a while; every later one is about a second.
    warm_up = subprocess.run(["wine", "cmd", "/c", "exit 7"], env=runner.env, capture_output=True, timeout=600)
    assert warm_up.returncode == 7, warm_up.stderr
    return runner


class Run:
    def __init__(self, completed, record: Path, log_dir: Path) -> None:
        self.exit_code = completed.returncode
        self.stdout = completed.stdout.decode("latin-1")
        self.stderr = completed.stderr.decode("latin-1")
        lines = record.read_text(encoding="latin-1").splitlines() if record.exists() else []
        self.calls = [tokens(line) for line in lines]
        self.log_dir = log_dir

    def report_call(self) -> dict:
        [call] = [c for c in self.calls if c[:1] == ["-File"]]
        return {"-File": call[1], **{call[i]: call[i + 1] for i in range(2, len(call) - 1, 2)}}


def tokens(command_line: str):
    """Splits a recorded Windows command line; the wrapper quotes every value that needs it."""
    return [quoted if quoted or bare == "" else bare for quoted, bare in re.findall(r'"([^"]*)"|(\S+)', command_line)]


@pytest.fixture
def layout(wine, tmp_path):
    """A fresh folder on Wine's C: drive with the two client files, in a folder with spaces."""
    root = wine.drive_c / "tcportal-test" / uuid.uuid4().hex[:12]
    install = root / "Tc Portal Monitor"
    install.mkdir(parents=True)
    shutil.copy(WRAPPER, install / WRAPPER.name)
    shutil.copy(MONITOR, install / MONITOR.name)
    (root / "fake-powershell.bat").write_bytes(crlf(STAND_IN))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def make_target(folder: Path, name: str, exit_code: int, lines=("hello from the job",)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    body = "@echo off\n" + "".join("echo {}\n".format(line) for line in lines) + "exit /b {}\n".format(exit_code)
    target.write_bytes(crlf(body))
    return target


def write_driver(layout, command_line: str, name: str = "driver") -> Path:
    driver = layout / (name + ".bat")
    # In a batch file a literal % is written %%.
    driver.write_bytes(crlf('@echo off\ncmd /c "{}"\nexit /b %ERRORLEVEL%\n'.format(command_line.replace("%", "%%"))))
    return driver


def stand_in_env(wine, layout, record: Path, ps_exit: int = 0, ps_id: int = 0) -> dict:
    return {
        "TC_PS": "cmd /c " + wine.windows_path(layout / "fake-powershell.bat"),
        "TC_PS_RECORD": wine.windows_path(record),
        "TC_PS_EXIT": str(ps_exit),
        "TC_PS_ID": str(ps_id),
    }


def run_wrapper(wine, layout, command_line: str, ps_exit: int = 0) -> Run:
    """Runs the wrapper as Task Scheduler does: cmd /c "<command line>" (spec section 6.1)."""
    record = layout / "record.txt"
    completed = wine.cmd(write_driver(layout, command_line), env=stand_in_env(wine, layout, record, ps_exit))
    return Run(completed, record, layout / "Logs Dir")


def wrapper_line(wine, layout, *arguments: str) -> str:
    quoted = " ".join('"{}"'.format(a) for a in arguments)
    return '"{}" {}'.format(wine.windows_path(layout / "Tc Portal Monitor" / WRAPPER.name), quoted)


@pytest.mark.parametrize("code", [0, 1, 3, 255])
def test_returns_the_targets_exit_code_and_reports_it(wine, layout, code):
    target = make_target(layout / "Job Scripts", "job.bat", code)

    run = run_wrapper(wine, layout, wrapper_line(wine, layout, "nightly_import", "Nightly import", wine.windows_path(target)))

    assert run.exit_code == code
    call = run.report_call()
    assert call["-ExitCode"] == str(code)
    assert call["-Status"] == ("success" if code == 0 else "failed")


def test_passes_the_report_arguments_of_spec_section_4_1(wine, layout):
    target = make_target(layout / "Job Scripts (x86)", "nightly job!.bat", 0)

    run = run_wrapper(
        wine, layout, wrapper_line(wine, layout, "nightly_import", "Nightly import! (daily)", wine.windows_path(target))
    )

    assert run.exit_code == 0
    call = run.report_call()
    assert call["-File"] == wine.windows_path(layout / "Tc Portal Monitor" / "tcportal-monitor.ps1")
    assert call["-TaskKey"] == "nightly_import"
    assert call["-TaskName"] == "Nightly import! (daily)"
    assert call["-Kind"] == "bat"
    assert call["-Status"] == "success"
    assert call["-ExitCode"] == "0"
    assert call["-StartedAt"] == "2026-01-22T09:00:00.0000000Z"
    assert call["-FinishedAt"] == "2026-01-22T09:05:30.0000000Z"
    assert call["-DurationMs"] == "330000"
    assert "-IdempotencyKey" not in call  # the sender makes a new one for every run
    assert call["-Message"] == wine.windows_path(target) + " exited with code 0"
    assert "-LogUrl" not in call
    assert "hello from the job" in run.stdout  # without LOG_DIR output stays on the console


def test_starts_powershell_through_tc_ps_for_the_clock_and_the_report(wine, layout):
    target = make_target(layout / "Job Scripts", "job.bat", 0)

    run = run_wrapper(wine, layout, wrapper_line(wine, layout, "k", "n", wine.windows_path(target)))

    assert [call[0] for call in run.calls] == ["-Command", "-Command", "-File"]
    assert "[DateTimeOffset]::Parse('2026-01-22T09:00:00.0000000Z')" in run.calls[1][1]


def test_writes_one_timestamped_log_per_run_and_sends_its_tail_on_failure(wine, layout):
    lines = ["line {}".format(n) for n in range(60)] + ["ERROR import failed"]
    target = make_target(layout / "Job Scripts", "job.bat", 2, lines)

    run = run_wrapper(
        wine,
        layout,
        wrapper_line(wine, layout, "nightly_import", "Nightly import", wine.windows_path(target), wine.windows_path(layout / "Logs Dir")),
    )

    assert run.exit_code == 2
    [log] = list((layout / "Logs Dir").iterdir())
    assert log.name == "nightly_import_20260122-180000-000.log"
    text = log.read_text(encoding="latin-1")
    assert "line 0" in text and "ERROR import failed" in text
    assert "status=failed exit_code=2" in text
    assert "ERROR import failed" not in run.stdout  # the job's output went to the log
    call = run.report_call()
    assert call["-LogUrl"] == wine.windows_path(log)
    assert call["-LogTailLines"] == "40"


def test_sends_the_log_path_without_a_tail_on_success(wine, layout):
    target = make_target(layout / "Job Scripts", "job.bat", 0)

    run = run_wrapper(
        wine, layout, wrapper_line(wine, layout, "k", "n", wine.windows_path(target), wine.windows_path(layout / "Logs Dir") + "\\")
    )

    call = run.report_call()
    assert call["-LogUrl"] == wine.windows_path(layout / "Logs Dir" / "k_20260122-180000-000.log")
    assert "-LogTailLines" not in call


def test_reports_a_missing_target_as_failed(wine, layout):
    missing = wine.windows_path(layout / "Job Scripts" / "missing.bat")

    run = run_wrapper(wine, layout, wrapper_line(wine, layout, "k", "n", missing))

    assert run.exit_code == 9009 % 256  # Wine hands Linux the low byte of the exit code
    call = run.report_call()
    assert call["-Status"] == "failed"
    assert call["-ExitCode"] == "9009"
    assert call["-Message"] == "Target not found: " + missing


def test_keeps_the_targets_exit_code_when_reporting_fails(wine, layout):
    target = make_target(layout / "Job Scripts", "job.bat", 3)

    run = run_wrapper(wine, layout, wrapper_line(wine, layout, "k", "n", wine.windows_path(target)), ps_exit=1)

    assert run.exit_code == 3
    assert run.report_call()["-ExitCode"] == "3"


def test_explains_its_usage_without_the_required_arguments(wine, layout):
    run = run_wrapper(wine, layout, wrapper_line(wine, layout, "k", "n"))

    assert run.exit_code == 1
    assert "Usage: wrap-and-report.bat" in run.stderr
    assert run.calls == []


def test_works_with_the_task_scheduler_line_of_spec_section_6_1(wine, layout):
    install = wine.drive_c / "TcPortalMonitor-{}".format(layout.name)
    install.mkdir()
    shutil.copy(WRAPPER, install / WRAPPER.name)
    target = make_target(layout / "Path With Space", "script.bat", 1)
    try:
        line = '{}\\wrap-and-report.bat task_key "Task name" "{}"'.format(
            wine.windows_path(install), wine.windows_path(target)
        )
        run = run_wrapper(wine, layout, line)
    finally:
        shutil.rmtree(install, ignore_errors=True)

    assert run.exit_code == 1
    call = run.report_call()
    assert call["-TaskKey"] == "task_key"
    assert call["-TaskName"] == "Task name"


def test_file_has_no_bom_and_crlf_line_endings():
    raw = WRAPPER.read_bytes()

    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert all(byte < 0x80 for byte in raw)


def test_file_returns_the_exit_code_the_spec_way_and_runs_the_target_with_cmd_c():
    text = WRAPPER.read_text(encoding="ascii")

    assert "endlocal & exit /b %BAT_EXIT_CODE%" in text
    assert 'cmd /c ""%TARGET%""' in text
    assert not re.search(r"^\s*call\s+\"?%TARGET%", text, re.MULTILINE | re.IGNORECASE)
    assert 'set "TC_PS=powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass"' in text
    assert "chcp 65001" in text


def test_runs_the_job_without_a_log_when_the_log_folder_cannot_be_made(wine, layout):
    (layout / "not a folder").write_text("a file where LOG_DIR's parent should be")
    target = make_target(layout / "Job Scripts", "job.bat", 4, ["still ran"])

    run = run_wrapper(
        wine, layout, wrapper_line(wine, layout, "k", "n", wine.windows_path(target), wine.windows_path(layout / "not a folder" / "logs"))
    )

    assert run.exit_code == 4
    assert "still ran" in run.stdout
    call = run.report_call()
    assert call["-ExitCode"] == "4"
    assert "-LogUrl" not in call


# --- issue 11: wrappers started at the same moment, hostile task keys --------------------------

SENDER = Path(__file__).resolve().parent / "standin_sender.py"


def test_wrappers_started_at_the_same_moment_each_get_their_own_clock_and_run(wine, layout, portal, tmp_path):
    """cmd seeds RANDOM from the current second: the wrapper of before shared clock files (and the
    run key read from them) between wrappers started in the same second, and the portal dropped
    all but one run as duplicates. Every run must reach the portal with its own key."""
    python = layout / "py.exe"
    python.symlink_to(sys.executable)  # Wine starts a Linux program named .exe like any other
    target = make_target(layout / "Job Scripts", "job.bat", 0)
    count = 6
    started = []
    for number in range(count):
        record = layout / "record-{}.txt".format(number)
        line = wrapper_line(wine, layout, "same_second_{}".format(number), "Same second", wine.windows_path(target),
                            wine.windows_path(layout / "Logs Dir"))
        env = dict(
            wine.env,
            **stand_in_env(wine, layout, record, ps_id=number),
            TC_PS_SLOW="1",
            TC_PS_SENDER=wine.windows_path(python),
            TC_PS_SENDER_SCRIPT=str(SENDER),
            TC_PORTAL_BASE_URL=portal.base_url,
            TC_PORTAL_WEBHOOK_SECRET="unit-test-secret",
            TC_PORTAL_SPOOL_DIR=str(tmp_path / "spool-{}".format(number)),
            PYTHONPATH=str(Path(__file__).resolve().parents[1]),
        )
        driver = write_driver(layout, line, "driver-{}".format(number))
        started.append((record, subprocess.Popen(["wine", "cmd", "/c", wine.windows_path(driver)], env=env,
                                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)))
    for record, process in started:
        process.communicate(timeout=180)
        assert process.returncode == 0

    # The Linux sender runs beside Wine, not under it: wait for every report to arrive.
    eventually(lambda: len(portal.received) >= count, timeout=60, what="a report from every wrapper")
    sent = [r.json() for r in portal.received]
    assert len(sent) == count
    assert sorted(s["task_key"] for s in sent) == sorted("same_second_{}".format(n) for n in range(count))
    assert len({r.headers["idempotency-key"] for r in portal.received}) == count  # none dropped as a duplicate
    for number, (record, _) in enumerate(started):
        [call] = [tokens(line) for line in record.read_text(encoding="latin-1").splitlines() if line.startswith("-File")]
        arguments = {call[i]: call[i + 1] for i in range(2, len(call) - 1, 2)}
        assert arguments.get("-StartedAt") == "2026-01-22T09:00:0{}.0000000Z".format(number), (number, call)  # its own clock
        assert "-IdempotencyKey" not in arguments
        assert arguments["-LogUrl"].endswith("same_second_{}_20260122-18000{}-000.log".format(number, number))
    assert not list(wine.drive_c.glob("users/*/Temp/tcportal-run-*"))  # every claimed folder released


@pytest.mark.parametrize(
    "task_key",
    ["nightly&echo INJECTED>pwned.txt&rem", "nightly>pwned.txt", r"..\..\escaped", "a|echo INJECTED>pwned.txt"],
)
def test_a_hostile_task_key_runs_no_command_and_stays_inside_the_log_folder(wine, layout, task_key):
    target = make_target(layout / "Job Scripts", "job.bat", 2)
    logs = layout / "Logs Dir" / "deeper"

    # Called straight from a batch file, each argument in quotes, so the key reaches the wrapper
    # whole (the outer `cmd /c "..."` of a task's action line would already split it at "&").
    record = layout / "record.txt"
    driver = layout / "driver.bat"
    line = wrapper_line(wine, layout, task_key, "Hostile", wine.windows_path(target), wine.windows_path(logs))
    driver.write_bytes(crlf("@echo off\n{}\n".format(line)))  # chained: its exit code is the driver's
    run = Run(wine.cmd(driver, env=stand_in_env(wine, layout, record), cwd=str(layout)), record, logs)

    assert run.exit_code == 2, run.stdout + run.stderr
    assert "INJECTED" not in run.stdout + run.stderr
    assert not [p for p in layout.rglob("pwned*")]
    assert not [p for p in layout.rglob("escaped*")]
    [log] = list(logs.iterdir())
    assert log.name.endswith("_20260122-180000-000.log") and "\\" not in log.name
    assert 'task="{}"'.format(task_key) in log.read_text(encoding="latin-1")
    assert run.report_call()["-TaskKey"] == task_key  # the monitor's identity is unchanged


def test_file_takes_no_name_or_key_from_random():
    code = "\n".join(line for line in WRAPPER.read_text(encoding="ascii").splitlines() if not line.lower().startswith("rem"))

    assert "RANDOM" not in code.upper()
    assert "-IdempotencyKey" not in code


def test_over_https_the_wrapper_hands_the_ca_setting_through_to_the_sender(wine, layout, tmp_path):
    """Issue 12, as far as the stand-in allows: Wine has no real PowerShell, so TLS here is done by
    the Python client standing in for the sender (TC_PORTAL_CA_FILE; the real .ps1 uses the
    Windows certificate store). What this proves is the wrapper's part: a run over HTTPS with the
    company CA arrives, and with another CA it does not and is spooled."""
    import ssl

    from scripted_portal import ScriptedPortal
    from tls_files import make_ca_and_server

    tls = make_ca_and_server(tmp_path / "tls")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(tls.server_cert), str(tls.server_key))
    portal = ScriptedPortal(tls=context).start()
    python = layout / "py.exe"
    python.symlink_to(sys.executable)
    target = make_target(layout / "Job Scripts", "job.bat", 1)
    try:
        for name, ca in (("trusted", tls.ca), ("untrusted", make_ca_and_server(tmp_path / "other", "Other CA").ca)):
            record = layout / "record-{}.txt".format(name)
            env = dict(
                **stand_in_env(wine, layout, record),
                TC_PS_SENDER=wine.windows_path(python),
                TC_PS_SENDER_SCRIPT=str(SENDER),
                TC_PORTAL_BASE_URL=portal.base_url,
                TC_PORTAL_CA_FILE=str(ca),
                TC_PORTAL_WEBHOOK_SECRET="unit-test-secret",
                TC_PORTAL_SPOOL_DIR=str(tmp_path / "spool-{}".format(name)),
                TC_PORTAL_MAX_TOTAL_SEC="3",
                PYTHONPATH=str(Path(__file__).resolve().parents[1]),
            )
            line = wrapper_line(wine, layout, "https_" + name, "HTTPS", wine.windows_path(target))
            completed = wine.cmd(write_driver(layout, line, "driver-" + name), env=env)
            assert completed.returncode == 1  # the job's own exit code, whatever TLS did

        eventually(lambda: len(portal.received) == 1, timeout=60, what="the trusted run")
        assert portal.received[0].json()["task_key"] == "https_trusted"
        eventually(lambda: list((tmp_path / "spool-untrusted").glob("*.json")), timeout=60, what="the untrusted run spooled")
        assert len(portal.received) == 1
    finally:
        portal.stop()
