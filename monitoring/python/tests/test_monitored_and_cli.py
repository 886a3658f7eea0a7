"""The context manager / decorator and `python -m tcportal_monitor run`, against a scripted portal."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tcportal_monitor import monitored
from tcportal_monitor import _spool

PYTHON_ROOT = Path(__file__).resolve().parents[1]


def test_reports_a_block_that_ends_normally_as_success(client_env, portal):
    with monitored("daily_sync", "日次同期") as run:
        run.message = "処理完了: 100件"

    sent = portal.received[0].json()
    assert sent["status"] == "success"
    assert sent["exit_code"] == 0
    assert sent["message"] == "処理完了: 100件"
    assert sent["duration_ms"] >= 0
    assert run.outcome == "delivered"


def test_reports_failure_and_reraises_the_jobs_own_exception(client_env, portal):
    with pytest.raises(KeyError, match="missing_column"):
        with monitored("daily_sync", "日次同期"):
            raise KeyError("missing_column")

    sent = portal.received[0].json()
    assert sent["status"] == "failed"
    assert sent["exit_code"] == 1
    assert "KeyError: 'missing_column'" in sent["message"]
    assert "Traceback" in sent["message"]


def test_reraises_even_when_the_portal_is_down(client_env, down_port, spool_dir):
    client_env.setenv("TC_PORTAL_BASE_URL", "http://127.0.0.1:{}".format(down_port))
    client_env.setenv("TC_PORTAL_MAX_TOTAL_SEC", "1")

    with pytest.raises(ZeroDivisionError):
        with monitored("daily_sync", "日次同期"):
            1 / 0

    assert len(_spool.pending(spool_dir)) == 1


def test_decorates_a_function_and_reports_each_call(client_env, portal):
    @monitored("decorated", "デコレータ")
    def job(fail):
        if fail:
            raise SystemExit(3)
        return "result"

    assert job(False) == "result"
    with pytest.raises(SystemExit):
        job(True)

    assert [(r.json()["status"], r.json()["exit_code"]) for r in portal.received] == [("success", 0), ("failed", 3)]
    keys = {r.headers["idempotency-key"] for r in portal.received}
    assert len(keys) == 2


def run_cli(*args, env_overrides=None, cwd=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PYTHON_ROOT)
    env.update(env_overrides or {})
    return subprocess.run(
        [sys.executable, "-m", "tcportal_monitor", "run", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.parametrize("code", [0, 1, 3, 255])
def test_cli_returns_the_commands_exit_code_and_reports_it(client_env, portal, code):
    finished = run_cli(
        "--task-key", "cron_job", "--task-name", "夜間バッチ", "--",
        sys.executable, "-c", "import sys; sys.exit({})".format(code),
    )

    assert finished.returncode == code
    sent = portal.received[0].json()
    assert sent["exit_code"] == code
    assert sent["status"] == ("success" if code == 0 else "failed")
    assert sent["task_name"] == "夜間バッチ"
    assert sent["kind"] == "python"


def test_cli_keeps_the_exit_code_when_the_portal_is_down(client_env, down_port, spool_dir):
    finished = run_cli(
        "--task-key", "cron_job", "--task-name", "n", "--", sys.executable, "-c", "raise SystemExit(4)",
        env_overrides={"TC_PORTAL_BASE_URL": "http://127.0.0.1:{}".format(down_port), "TC_PORTAL_MAX_TOTAL_SEC": "1"},
    )

    assert finished.returncode == 4
    assert len(_spool.pending(spool_dir)) == 1


def test_cli_reports_a_command_that_cannot_start(client_env, portal):
    finished = run_cli("--task-key", "k", "--task-name", "n", "--", "/no/such/program")

    assert finished.returncode == 127
    sent = portal.received[0].json()
    assert sent["status"] == "failed"
    assert "could not be started" in sent["message"]


def test_cli_with_log_dir_keeps_output_and_sends_its_last_lines_on_failure(client_env, portal, tmp_path):
    script = "import sys\nfor i in range(100): print('line', i)\nprint('ERROR: 取込失敗', file=sys.stderr)\nsys.exit(2)"
    log_dir = tmp_path / "logs with space"

    finished = run_cli("--task-key", "k", "--task-name", "n", "--log-dir", str(log_dir), "--", sys.executable, "-u", "-c", script)

    assert finished.returncode == 2
    assert b"line 99" in finished.stdout  # the job's output still reaches the console
    [log_file] = list(log_dir.iterdir())
    assert "ERROR: 取込失敗" in log_file.read_text(encoding="utf-8")
    sent = portal.received[0].json()
    assert sent["log_url"] == str(log_file)
    assert sent["message"].endswith("ERROR: 取込失敗")
    assert "line 61" in sent["message"] and "line 60" not in sent["message"]  # the last 40 lines only


def test_cli_without_a_command_explains_its_usage():
    finished = run_cli("--task-key", "k", "--task-name", "n")

    assert finished.returncode == 2
    assert b"needs a command" in finished.stderr


def test_log_tail_reads_only_the_end_of_a_large_log_and_keeps_japanese_intact(tmp_path):
    from tcportal_monitor.__main__ import log_tail

    log = tmp_path / "job.log"
    log.write_bytes(("取込中 " * 7 + "\n").encode("utf-8") * 5000 + "エラー: 終了\n".encode("utf-8"))

    assert (log.stat().st_size - 65536) % 71 not in (0, 1)  # the read starts mid-line, mid-character

    assert log_tail(log, lines=3).splitlines() == ["取込中 " * 7, "取込中 " * 7, "エラー: 終了"]
    everything_read = log_tail(log, lines=10**6)
    assert "\ufffd" not in everything_read
    assert everything_read.splitlines()[0] == "取込中 " * 7  # the partial first line was dropped


def test_the_launcher_finds_the_package_without_pythonpath_or_changing_the_working_directory(client_env, portal, tmp_path):
    job_folder = tmp_path / "job start folder"
    job_folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    finished = subprocess.run(
        [sys.executable, str(PYTHON_ROOT / "tcportal-run.py"), "run", "--task-key", "k", "--task-name", "n", "--",
         sys.executable, "-c", "import os; print(os.getcwd()); raise SystemExit(6)"],
        cwd=str(job_folder), env=env, capture_output=True, timeout=60,
    )

    assert finished.returncode == 6
    assert finished.stdout.decode().splitlines()[0] == str(job_folder)  # the job ran where it always did
    assert portal.received[0].json()["exit_code"] == 6
