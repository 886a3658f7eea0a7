"""The Python client against the real gateway and processor (deploy/local-stack): what is posted
must end up in task_monitors and task_monitor_runs, Japanese intact, each run stored once."""

import hashlib
import os
import subprocess
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
from local_stack import STACK_JAR, LocalStack, eventually, free_port

from tcportal_monitor import report_task_status
from tcportal_monitor import _spool

pytestmark = pytest.mark.stack

PYTHON_ROOT = Path(__file__).resolve().parents[1]
SECRET = "local-stack-test-secret-" + uuid.uuid4().hex


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    if not STACK_JAR.exists():
        reason = "{} is missing: build it with ./mvnw -B -DskipTests package".format(STACK_JAR)
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    for tool in ("java", "psql"):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            pytest.fail("{} is needed for the real-stack tests".format(tool))
    running = LocalStack(tmp_path_factory.mktemp("local-stack"), SECRET).start()
    yield running
    running.stop()


@pytest.fixture
def stack_env(monkeypatch, stack, tmp_path):
    monkeypatch.setenv("TC_PORTAL_BASE_URL", stack.base_url)
    monkeypatch.setenv("TC_PORTAL_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("TC_PORTAL_SPOOL_DIR", str(tmp_path / "TcPortalMonitor" / "spool"))
    monkeypatch.setenv("TC_PORTAL_MAX_TOTAL_SEC", "30")
    monkeypatch.setenv("COMPUTERNAME", "PC-STACK-01")
    return monkeypatch


REPORT_ID_NAMESPACE = uuid.UUID("a3c0f1de-4f0b-4b8e-9a55-7d2e6c1b5f30")  # shared-schema's ReportIdentity


def scoped_report_id(monitor_id: str, key: str) -> str:
    """ReportIdentity.reportId: a version 5 UUID of (monitor_id, key), as the gateway computes it."""
    name = REPORT_ID_NAMESPACE.bytes + uuid.UUID(monitor_id).bytes + uuid.UUID(key).bytes
    return str(uuid.UUID(bytes=hashlib.sha1(name).digest()[:16], version=5))


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def unique_key(prefix: str) -> str:
    return "{}_{}".format(prefix, uuid.uuid4().hex[:10])


def monitor(stack, task_key):
    rows = stack.query("SELECT * FROM task_monitors WHERE task_key = {}".format(literal(task_key)))
    return rows[0] if rows else None


def runs(stack, task_key):
    return stack.query(
        "SELECT r.*, r.raw->>'task_name' AS raw_task_name FROM task_monitor_runs r"
        " JOIN task_monitors m ON m.id = r.monitor_id WHERE m.task_key = {} ORDER BY r.created_at, r.id".format(
            literal(task_key)
        )
    )


def test_posted_report_appears_in_both_tables_with_japanese_intact(stack_env, stack):
    task_key = unique_key("nightly_import")
    started = datetime(2026, 1, 22, 9, 0, 0, tzinfo=timezone.utc)
    finished = datetime(2026, 1, 22, 9, 5, 30, tzinfo=timezone.utc)

    outcome = report_task_status(
        task_key,
        "ナイトリー取込",
        "success",
        message="処理完了: 100件 ✓",
        exit_code=0,
        started_at=started,
        finished_at=finished,
        duration_ms=330000,
        log_url=r"C:\Logs\nightly_import.log",
    )

    assert outcome == "delivered"
    stored = eventually(lambda: monitor(stack, task_key), what="the monitor row")
    assert stored["task_name"] == "ナイトリー取込"
    assert stored["kind"] == "python"
    assert stored["machine_name"] == "PC-STACK-01"
    assert stored["last_status"] == "success"
    assert stored["last_exit_code"] == 0
    assert stored["last_message"] == "処理完了: 100件 ✓"
    assert stored["last_log_url"] == r"C:\Logs\nightly_import.log"
    assert stored["enabled"] is True
    [run] = eventually(lambda: runs(stack, task_key), what="the run row")
    assert run["status"] == "success"
    assert run["exit_code"] == 0
    assert run["duration_ms"] == 330000
    assert run["message"] == "処理完了: 100件 ✓"
    assert run["raw_task_name"] == "ナイトリー取込"
    assert datetime.fromisoformat(run["started_at"]) == started
    assert datetime.fromisoformat(run["finished_at"]) == finished


def test_a_retried_run_with_the_same_idempotency_key_is_stored_once(stack_env, stack):
    task_key = unique_key("retried")
    key = str(uuid.uuid4())

    first = report_task_status(task_key, "再送テスト", "failed", message="1回目", exit_code=2, idempotency_key=key)
    retry = report_task_status(task_key, "再送テスト", "failed", message="1回目", exit_code=2, idempotency_key=key)
    # One more run of the same monitor: it lands on the same partition after both copies, so once
    # it is stored both copies have been processed.
    marker = report_task_status(task_key, "再送テスト", "success", message="2回目", exit_code=0)

    assert (first, retry, marker) == ("delivered", "delivered", "delivered")
    stored = eventually(lambda: [r for r in runs(stack, task_key) if r["message"] == "2回目"] and runs(stack, task_key))
    assert [r["message"] for r in stored] == ["1回目", "2回目"]
    # Before issue 11 the key was the run's id; since then it is scoped to the monitor (ReportIdentity).
    assert stored[0]["report_id"] in (key, scoped_report_id(stored[0]["monitor_id"], key))


def run_cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "tcportal_monitor", "run", *args],
        env=dict(os.environ, PYTHONPATH=str(PYTHON_ROOT), **env),
        capture_output=True,
        timeout=120,
    )


def test_portal_down_spools_keeps_the_exit_code_and_delivers_on_the_next_run(stack_env, stack, tmp_path):
    task_key = unique_key("offline")
    spool_dir = Path(os.environ["TC_PORTAL_SPOOL_DIR"])
    down = {"TC_PORTAL_BASE_URL": "http://127.0.0.1:{}".format(free_port()), "TC_PORTAL_MAX_TOTAL_SEC": "2"}

    offline = run_cli("--task-key", task_key, "--task-name", "オフライン", "--", sys.executable, "-c", "raise SystemExit(5)", env=down)

    assert offline.returncode == 5
    assert len(_spool.pending(spool_dir)) == 1
    assert monitor(stack, task_key) is None

    online = run_cli("--task-key", task_key, "--task-name", "オフライン", "--", sys.executable, "-c", "pass", env={})

    assert online.returncode == 0
    assert _spool.pending(spool_dir) == []
    stored = eventually(lambda: len(runs(stack, task_key)) == 2 and runs(stack, task_key), what="both runs")
    assert sorted((r["status"], r["exit_code"]) for r in stored) == [("failed", 5), ("success", 0)]
    assert eventually(lambda: monitor(stack, task_key)["last_status"] == "success", what="the latest state")


def test_cli_failure_sends_the_log_tail_and_path_to_the_portal(stack_env, stack, tmp_path):
    task_key = unique_key("cli_failure")
    script = "import sys\nprint('読み込み開始')\nprint('エラー: ファイルがありません', file=sys.stderr)\nsys.exit(3)"

    finished = run_cli(
        "--task-key", task_key, "--task-name", "夜間バッチ", "--log-dir", str(tmp_path / "logs"),
        "--", sys.executable, "-u", "-c", script, env={"PYTHONIOENCODING": "utf-8"},
    )

    assert finished.returncode == 3
    stored = eventually(lambda: monitor(stack, task_key), what="the monitor row")
    assert stored["task_name"] == "夜間バッチ"
    assert stored["last_status"] == "failed"
    assert stored["last_exit_code"] == 3
    assert stored["last_message"].endswith("読み込み開始\nエラー: ファイルがありません")
    [log_file] = list((tmp_path / "logs").iterdir())
    assert stored["last_log_url"] == str(log_file)


def test_wrong_secret_is_refused_and_not_spooled(stack_env, stack, capsys):
    stack_env.setenv("TC_PORTAL_WEBHOOK_SECRET", "not-the-secret")
    task_key = unique_key("wrong_secret")

    assert report_task_status(task_key, "n", "success") == "rejected"

    assert "Invalid or missing secret" in capsys.readouterr().out
    assert _spool.pending(Path(os.environ["TC_PORTAL_SPOOL_DIR"])) == []
    assert monitor(stack, task_key) is None


# --- issue 12: HTTPS with the stack's own CA ---------------------------------------------------


@pytest.fixture
def stack_https(stack):
    """The stack serves HTTPS once its TLS is built (deploy helper, issue 12). A stack that does not
    is skipped here with that reason, and fails in CI, where the merged stack must serve it."""
    if not stack.ca_file.exists():
        reason = "the local stack made no CA ({}): it does not serve HTTPS yet".format(stack.ca_file)
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return stack


def test_posts_over_https_with_the_stacks_ca_in_tc_portal_ca_file(stack_env, stack_https):
    stack_env.setenv("TC_PORTAL_BASE_URL", stack_https.https_base_url)
    stack_env.setenv("TC_PORTAL_CA_FILE", str(stack_https.ca_file))
    task_key = unique_key("https")

    assert report_task_status(task_key, "HTTPS送信", "success", message="TLS ✓") == "delivered"

    stored = eventually(lambda: monitor(stack_https, task_key), what="the monitor row")
    assert stored["task_name"] == "HTTPS送信"
    assert stored["last_message"] == "TLS ✓"


def test_a_wrong_ca_is_refused_with_a_clear_line_and_the_report_spooled(stack_env, stack_https, tmp_path, capsys):
    from tls_files import make_ca_and_server

    stack_env.setenv("TC_PORTAL_BASE_URL", stack_https.https_base_url)
    stack_env.setenv("TC_PORTAL_CA_FILE", str(make_ca_and_server(tmp_path / "other", "Other CA").ca))
    task_key = unique_key("https_wrong_ca")

    assert report_task_status(task_key, "n", "success") == "spooled"

    assert "certificate is not trusted" in capsys.readouterr().out
    assert len(_spool.pending(Path(os.environ["TC_PORTAL_SPOOL_DIR"]))) == 1
    assert monitor(stack_https, task_key) is None
