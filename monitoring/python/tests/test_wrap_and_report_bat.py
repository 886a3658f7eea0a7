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

import pytest

pytestmark = pytest.mark.wine

WINDOWS_DIR = Path(__file__).resolve().parents[2] / "windows"
WRAPPER = WINDOWS_DIR / "wrap-and-report.bat"
MONITOR = WINDOWS_DIR / "tcportal-monitor.ps1"
TARGET_DIR = Path(__file__).resolve().parents[2] / "target"

STAND_IN = r"""@echo off
rem Recording stand-in for PowerShell (through TC_PS): writes its command line to TC_PS_RECORD and
rem answers the wrapper's two clock questions (start, then finish) with fixed values.
>>"%TC_PS_RECORD%" echo %*
if not "%~1"=="-Command" exit /b %TC_PS_EXIT%
if exist "%TC_PS_RECORD%.started" goto :finish_clock
type nul >"%TC_PS_RECORD%.started"
echo 2026-01-22T09:00:00.0000000Z 20260122-180000-000 3f2c1d4e-5b6a-4789-8abc-def012345678
exit /b 0
:finish_clock
echo 2026-01-22T09:05:30.0000000Z 330000
exit /b 0
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

    def cmd(self, bat: Path, env=None, timeout=120) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["wine", "cmd", "/c", self.windows_path(bat)],
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


def run_wrapper(wine, layout, command_line: str, ps_exit: int = 0) -> Run:
    """Runs the wrapper as Task Scheduler does: cmd /c "<command line>" (spec section 6.1)."""
    record = layout / "record.txt"
    driver = layout / "driver.bat"
    # In a batch file a literal % is written %%.
    driver.write_bytes(crlf('@echo off\ncmd /c "{}"\nexit /b %ERRORLEVEL%\n'.format(command_line.replace("%", "%%"))))
    completed = wine.cmd(
        driver,
        env={
            "TC_PS": "cmd /c " + wine.windows_path(layout / "fake-powershell.bat"),
            "TC_PS_RECORD": wine.windows_path(record),
            "TC_PS_EXIT": str(ps_exit),
        },
    )
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
    assert call["-IdempotencyKey"] == "3f2c1d4e-5b6a-4789-8abc-def012345678"
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
