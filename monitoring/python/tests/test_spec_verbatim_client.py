"""The original specification's own Python client (section 5.1, copied verbatim) against the real
local stack: it sends datetime.now() without an offset and, here, a 100,000-character message, both
of which this gateway used to refuse with a 400 that the spec's client never retries. The run must
be stored as docs/monitoring/SPEC.md documents: instants read in Asia/Tokyo (and the run says so),
the message cut to 65,536 characters with a visible marker, the raw body unchanged.

The spec's client needs only the standard library (urllib), so nothing is installed for it.
"""

import os
import subprocess
import uuid
from datetime import datetime, timedelta

import pytest
from local_stack import STACK_JAR, LocalStack, eventually

pytestmark = pytest.mark.stack

SECRET = "spec-verbatim-secret-" + uuid.uuid4().hex

# ---- verbatim from the specification, section 5.1 (only this comment line added) ----
import os
import json
import urllib.request
from datetime import datetime, timezone

def report_task_status(
    task_key: str,
    task_name: str,
    status: str,  # "success" | "failed"
    message: str = None,
    exit_code: int = 0,
    started_at: datetime = None,
    finished_at: datetime = None,
    duration_ms: int = None,
    log_url: str = None
):
    """
    TC Portal にタスク実行結果を報告する。
    送信失敗時はログ出力のみでエラーを投げない。
    """
    base_url = os.environ.get("TC_PORTAL_BASE_URL", "https://tc-portal.vercel.app")
    secret = os.environ.get("TC_PORTAL_WEBHOOK_SECRET")

    if not secret:
        print("[TC Portal] TC_PORTAL_WEBHOOK_SECRET が未設定、スキップ")
        return

    url = f"{base_url}/api/monitor/report"

    payload = {
        "task_key": task_key,
        "task_name": task_name,
        "kind": "python",
        "status": status,
        "machine_name": os.environ.get("COMPUTERNAME"),
    }

    if message:
        payload["message"] = message
    if exit_code is not None:
        payload["exit_code"] = exit_code
    if started_at:
        payload["started_at"] = started_at.isoformat()
    if finished_at:
        payload["finished_at"] = finished_at.isoformat()
    if duration_ms is not None:
        payload["duration_ms"] = duration_ms
    if log_url:
        payload["log_url"] = log_url

    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-TC-Portal-Secret": secret,
    }

    try:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        req = urllib.request.Request(url, data=data, headers=headers, method="POST")
        with urllib.request.urlopen(req, timeout=10) as resp:
            result = json.loads(resp.read().decode("utf-8"))
            if result.get("ok"):
                print(f"[TC Portal] 報告成功: {status}")
            else:
                print(f"[TC Portal] 報告失敗: {result}")
    except Exception as e:
        print(f"[TC Portal] 送信エラー: {e}")
# ---- end of the specification's code ----


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not STACK_JAR.exists():
        reason = "{} is missing: build it with ./mvnw -B -DskipTests package".format(STACK_JAR)
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    for tool in ("java", "psql"):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            pytest.fail("{} is needed for the real-stack tests".format(tool))
    running = LocalStack(tmp_path_factory.mktemp("spec-verbatim-stack"), SECRET).start()
    yield running
    running.stop()


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_the_specs_own_client_with_a_naive_now_and_a_long_message_is_stored_as_documented(
    stack, monkeypatch, capsys
):
    monkeypatch.setenv("TC_PORTAL_BASE_URL", stack.base_url)
    monkeypatch.setenv("TC_PORTAL_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("COMPUTERNAME", "PC-SPEC-01")
    task_key = "spec_verbatim_" + uuid.uuid4().hex[:10]
    started_at = datetime.now()  # naive, as a spec-era script writes it
    finished_at = started_at + timedelta(seconds=5, microseconds=250000)

    report_task_status(
        task_key=task_key,
        task_name="仕様書どおりのクライアント",
        status="failed",
        message="x" * 100_000,
        exit_code=1,
        started_at=started_at,
        finished_at=finished_at,
        duration_ms=5250,
    )

    assert "[TC Portal] 報告成功: failed" in capsys.readouterr().out
    rows = eventually(
        lambda: stack.query(
            "SELECT r.started_at AT TIME ZONE 'Asia/Tokyo' AS started_local,"
            " r.finished_at AT TIME ZONE 'Asia/Tokyo' AS finished_local,"
            " r.assumed_time_zone, length(r.message) AS message_length,"
            " right(r.message, 40) AS message_end, left(r.message, 3) AS message_start,"
            " r.raw->>'started_at' AS raw_started_at, length(r.raw->>'message') AS raw_length,"
            " r.exit_code, m.last_status, m.machine_name"
            " FROM task_monitor_runs r JOIN task_monitors m ON m.id = r.monitor_id"
            " WHERE m.task_key = {}".format(literal(task_key))
        ),
        timeout=90,
        what="the spec client's run in task_monitor_runs",
    )
    assert len(rows) == 1
    run = rows[0]
    # The naive wall-clock time was read in Asia/Tokyo: in Tokyo it is the time the script wrote.
    assert datetime.fromisoformat(run["started_local"]) == started_at
    assert datetime.fromisoformat(run["finished_local"]) == finished_at
    assert run["assumed_time_zone"] == "Asia/Tokyo"
    assert run["raw_started_at"] == started_at.isoformat()
    assert run["message_length"] == 65_536
    assert run["message_start"] == "xxx"
    assert run["message_end"].endswith("…(truncated, 100,000 characters)")
    assert run["raw_length"] == 100_000
    assert run["exit_code"] == 1
    assert run["last_status"] == "failed"
    assert run["machine_name"] == "PC-SPEC-01"
