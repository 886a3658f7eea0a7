"""report_task_status against a scripted portal: what is sent, when it retries, what it spools."""

import inspect
import json
import time
import uuid
from datetime import datetime, timezone

import pytest
from scripted_portal import OK, Answer

from tcportal_monitor import report_task_status
from tcportal_monitor import _settings, _spool
from tcportal_monitor._report import MAX_MESSAGE_CHARS, TRUNCATION_MARK

STARTED = datetime(2026, 1, 22, 9, 0, 0, tzinfo=timezone.utc)
FINISHED = datetime(2026, 1, 22, 9, 5, 30, tzinfo=timezone.utc)


def report(**overrides):
    arguments = dict(
        task_key="nightly_import",
        task_name="ナイトリー取込",
        status="success",
        message="処理完了: 100件",
        exit_code=0,
        started_at=STARTED,
        finished_at=FINISHED,
        duration_ms=330000,
    )
    arguments.update(overrides)
    return report_task_status(**arguments)


def spooled(spool_dir):
    return _spool.pending(spool_dir)


def test_sends_spec_body_as_utf8_json_with_secret_and_idempotency_key(client_env, portal, capsys):
    assert report() == "delivered"

    [request] = portal.received
    assert request.path == "/api/monitor/report"
    assert request.headers["x-tc-portal-secret"] == "unit-test-secret"
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert uuid.UUID(request.headers["idempotency-key"]).version == 4
    assert "ナイトリー取込".encode("utf-8") in request.body  # raw UTF-8, not \\u escapes
    assert request.json() == {
        "task_key": "nightly_import",
        "task_name": "ナイトリー取込",
        "kind": "python",
        "status": "success",
        "machine_name": "PC-UNIT-01",
        "message": "処理完了: 100件",
        "exit_code": 0,
        "started_at": "2026-01-22T09:00:00+00:00",
        "finished_at": "2026-01-22T09:05:30+00:00",
        "duration_ms": 330000,
    }
    assert "[TC Portal] 報告成功: success" in capsys.readouterr().out


def test_leaves_out_optional_fields_as_the_spec_does(client_env, portal):
    report_task_status("k", "n", "failed", exit_code=None)

    assert portal.received[0].json() == {
        "task_key": "k",
        "task_name": "n",
        "kind": "python",
        "status": "failed",
        "machine_name": "PC-UNIT-01",
    }


def test_gives_naive_datetimes_the_local_offset_the_gateway_requires(client_env, portal):
    report(started_at=datetime(2026, 1, 22, 18, 0, 0))

    started_at = datetime.fromisoformat(portal.received[0].json()["started_at"])
    assert started_at.tzinfo is not None
    assert started_at == datetime(2026, 1, 22, 18, 0, 0).astimezone()


def test_skips_and_says_so_without_a_secret(client_env, portal, capsys):
    client_env.delenv("TC_PORTAL_WEBHOOK_SECRET")

    assert report() == "skipped"

    assert portal.received == []
    assert "TC_PORTAL_WEBHOOK_SECRET が未設定、スキップ" in capsys.readouterr().out


def test_retries_server_errors_with_one_idempotency_key_until_delivered(client_env, portal, spool_dir):
    portal.script = [Answer(503, {"error": "queue unavailable"}), Answer(500, {"error": "x"}), OK]

    assert report() == "delivered"

    keys = {request.headers["idempotency-key"] for request in portal.received}
    assert len(portal.received) == 3
    assert len(keys) == 1
    assert spooled(spool_dir) == []


@pytest.mark.parametrize("status", [408, 429, 502, 504])
def test_retries_statuses_that_may_succeed_later(client_env, portal, status):
    portal.script = [Answer(status, {"error": "later"})]

    assert report() == "delivered"

    assert len(portal.received) == 2


def test_waits_as_long_as_retry_after_asks(client_env, portal):
    portal.script = [Answer(503, {"error": "queue unavailable"}, {"Retry-After": "2"})]

    assert report() == "delivered"

    first, second = portal.received
    assert second.at - first.at >= 1.9


@pytest.mark.parametrize(
    "status,error",
    [
        (400, "task_key is required and must be a string"),
        (401, "Invalid or missing secret"),
        (413, "Request body too large"),
        (415, "Content-Type must be application/json"),
    ],
)
def test_never_retries_or_spools_a_report_the_portal_refused(client_env, portal, spool_dir, capsys, status, error):
    portal.script = [Answer(status, {"error": error})]

    assert report() == "rejected"

    assert len(portal.received) == 1
    assert spooled(spool_dir) == []
    assert error in capsys.readouterr().out


def test_retries_after_a_request_timeout(client_env, portal):
    client_env.setenv("TC_PORTAL_TIMEOUT_SEC", "0.5")
    portal.script = [Answer(200, OK.body, delay=2.0)]

    assert report() == "delivered"

    assert len(portal.received) == 2
    assert portal.received[0].headers["idempotency-key"] == portal.received[1].headers["idempotency-key"]


def test_gives_up_within_the_total_time_cap_and_spools(client_env, portal, spool_dir):
    client_env.setenv("TC_PORTAL_MAX_TOTAL_SEC", "3")
    client_env.setenv("TC_PORTAL_MAX_ATTEMPTS", "100")
    portal.otherwise = Answer(503, {"error": "queue unavailable"})

    began = time.monotonic()
    assert report() == "spooled"
    elapsed = time.monotonic() - began

    assert elapsed < 4.5
    [entry] = spooled(spool_dir)
    assert entry.idempotency_key == portal.received[0].headers["idempotency-key"]
    assert json.loads(entry.body().decode("utf-8"))["task_name"] == "ナイトリー取込"


def test_stops_after_max_attempts_and_spools(client_env, portal, spool_dir):
    client_env.setenv("TC_PORTAL_MAX_ATTEMPTS", "2")
    portal.otherwise = Answer(500, {"error": "Failed to create task monitor"})

    assert report() == "spooled"

    assert len(portal.received) == 2
    assert len(spooled(spool_dir)) == 1


def test_spools_when_the_portal_is_down_and_delivers_spool_first_in_order_next_time(
    client_env, portal, spool_dir, down_port
):
    client_env.setenv("TC_PORTAL_BASE_URL", "http://127.0.0.1:{}".format(down_port))
    client_env.setenv("TC_PORTAL_MAX_TOTAL_SEC", "2")
    assert report(message="first") == "spooled"
    assert report(message="second") == "spooled"
    waiting = spooled(spool_dir)
    assert len(waiting) == 2

    client_env.setenv("TC_PORTAL_BASE_URL", portal.base_url)
    assert report(message="third") == "delivered"

    assert [r.json()["message"] for r in portal.received] == ["first", "second", "third"]
    assert [r.headers["idempotency-key"] for r in portal.received[:2]] == [w.idempotency_key for w in waiting]
    assert spooled(spool_dir) == []


def test_keeps_new_report_behind_the_spool_while_the_portal_stays_away(client_env, portal, spool_dir, down_port):
    client_env.setenv("TC_PORTAL_BASE_URL", "http://127.0.0.1:{}".format(down_port))
    client_env.setenv("TC_PORTAL_MAX_TOTAL_SEC", "2")
    report(message="first")
    report(message="second")

    messages = [json.loads(e.body().decode("utf-8"))["message"] for e in spooled(spool_dir)]
    assert messages == ["first", "second"]


def test_bounds_the_spool_by_dropping_the_oldest(client_env, spool_dir, down_port):
    client_env.setenv("TC_PORTAL_BASE_URL", "http://127.0.0.1:{}".format(down_port))
    client_env.setenv("TC_PORTAL_MAX_TOTAL_SEC", "1")
    client_env.setenv("TC_PORTAL_SPOOL_MAX_FILES", "3")
    for number in range(5):
        report(message="run {}".format(number))

    messages = [json.loads(e.body().decode("utf-8"))["message"] for e in spooled(spool_dir)]
    assert messages == ["run 2", "run 3", "run 4"]


def test_moves_a_spooled_report_the_portal_refuses_aside_and_goes_on(client_env, portal, spool_dir, down_port):
    client_env.setenv("TC_PORTAL_BASE_URL", "http://127.0.0.1:{}".format(down_port))
    client_env.setenv("TC_PORTAL_MAX_TOTAL_SEC", "1")
    report(message="refused later")
    client_env.setenv("TC_PORTAL_BASE_URL", portal.base_url)
    portal.script = [Answer(400, {"error": "message must be at most 65536 characters"})]

    assert report(message="current") == "delivered"

    assert [r.json()["message"] for r in portal.received] == ["refused later", "current"]
    assert spooled(spool_dir) == []
    assert len(list((spool_dir / "rejected").iterdir())) == 1


def test_keeps_the_spool_when_the_portal_refuses_the_secret(client_env, portal, spool_dir, down_port):
    client_env.setenv("TC_PORTAL_BASE_URL", "http://127.0.0.1:{}".format(down_port))
    client_env.setenv("TC_PORTAL_MAX_TOTAL_SEC", "1")
    report(message="waiting")
    client_env.setenv("TC_PORTAL_BASE_URL", portal.base_url)
    portal.otherwise = Answer(401, {"error": "Invalid or missing secret"})

    report(message="current")

    assert len(portal.received) == 1
    assert len(spooled(spool_dir)) == 2


def test_truncates_long_messages_keeping_the_tail(client_env, portal):
    message = "x" * 70_000 + "😀" * 10 + "Traceback: the real error"

    report(status="failed", message=message)

    sent = portal.received[0].json()["message"]
    assert len(sent.encode("utf-16-le")) // 2 <= MAX_MESSAGE_CHARS
    assert sent.startswith(TRUNCATION_MARK)
    assert sent.endswith("😀" * 10 + "Traceback: the real error")


def test_removes_nul_characters_the_database_cannot_store(client_env, portal):
    report(message="before\x00after")

    assert portal.received[0].json()["message"] == "beforeafter"


def test_reuses_a_given_idempotency_key(client_env, portal):
    key = "3f2c1d4e-5b6a-4789-8abc-def012345678"

    report_task_status("k", "n", "success", idempotency_key=key)

    assert portal.received[0].headers["idempotency-key"] == key


def test_never_raises_whatever_goes_wrong(client_env, portal, spool_dir, capsys):
    assert report(started_at="not a datetime") == "rejected"

    spool_dir.parent.mkdir(parents=True, exist_ok=True)
    spool_dir.write_text("a file where the spool folder should be")
    client_env.setenv("TC_PORTAL_BASE_URL", "http://127.0.0.1:1")
    client_env.setenv("TC_PORTAL_MAX_TOTAL_SEC", "1")
    assert report() == "rejected"

    client_env.setenv("TC_PORTAL_BASE_URL", "not a url at all")
    report()
    assert "送信エラー" in capsys.readouterr().out


def test_writes_its_log_beside_the_spool(client_env, portal, spool_dir):
    report()

    log = (spool_dir.parent / "tcportal-monitor.log").read_text(encoding="utf-8")
    assert "報告成功: success" in log


def test_reads_the_machine_environment_when_the_process_has_no_value():
    machine = {"TC_PORTAL_BASE_URL": "https://machine.example"}.get

    assert _settings.lookup("TC_PORTAL_BASE_URL", {}, machine) == "https://machine.example"
    assert (
        _settings.lookup("TC_PORTAL_BASE_URL", {"TC_PORTAL_BASE_URL": "https://process.example"}, machine)
        == "https://process.example"
    )
    assert _settings.load({}).base_url is None  # no default host: see test_client_hardening


def test_keeps_the_signature_of_spec_section_5_1():
    parameters = inspect.signature(report_task_status).parameters
    positional = [(p.name, p.default) for p in parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]

    assert positional == [
        ("task_key", inspect.Parameter.empty),
        ("task_name", inspect.Parameter.empty),
        ("status", inspect.Parameter.empty),
        ("message", None),
        ("exit_code", 0),
        ("started_at", None),
        ("finished_at", None),
        ("duration_ms", None),
        ("log_url", None),
    ]
    assert all(p.kind is p.KEYWORD_ONLY for p in parameters.values() if p.name not in dict(positional))
