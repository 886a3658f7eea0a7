"""report_task_status of spec section 5.1, grown up: idempotency key, retries and a spool."""

import json
import os
import socket
import time
import uuid
from datetime import datetime
from typing import Any, Dict, List, Optional

from . import _delivery, _log, _settings, _spool

MAX_MESSAGE_CHARS = 65_536  # the gateway's limit, counted like Java does (UTF-16 code units)
TRUNCATION_MARK = "...(truncated)\n"


def report_task_status(
    task_key: str,
    task_name: str,
    status: str,  # "success" | "failed"
    message: str = None,
    exit_code: int = 0,
    started_at: datetime = None,
    finished_at: datetime = None,
    duration_ms: int = None,
    log_url: str = None,
    *,
    kind: str = "python",
    machine_name: Optional[str] = None,
    idempotency_key: Optional[str] = None,
) -> str:
    """
    TC Portal にタスク実行結果を報告する。送信失敗時はログ出力のみでエラーを投げない。
    Reports one run to TC Portal; never raises, prints what happened.

    Reports spooled by earlier runs are sent first, oldest first. A report that cannot be
    delivered within the time budget is spooled for the next run. Returns what happened:
    "delivered", "spooled", "rejected" or "skipped".
    """
    log_file = None
    try:
        settings = _settings.load()
        log_file = settings.log_file
        if not settings.secret:
            _log.say("TC_PORTAL_WEBHOOK_SECRET が未設定、スキップ", log_file, "WARN")
            return "skipped"
        payload = build_payload(
            task_key,
            task_name,
            kind,
            status,
            message=message,
            exit_code=exit_code,
            started_at=started_at,
            finished_at=finished_at,
            duration_ms=duration_ms,
            log_url=log_url,
            machine_name=machine_name if machine_name is not None else default_machine_name(),
        )
        return deliver(
            settings, encode(payload), _usable_key(idempotency_key, log_file), status, log_file
        )
    except Exception as error:  # the job must never fail because of its monitoring
        _log.say("送信エラー: {}".format(error), log_file, "ERROR")
        return "rejected"


def default_machine_name() -> Optional[str]:
    """COMPUTERNAME as in the spec; elsewhere (Linux cron) the host name, so machines stay apart."""
    name = os.environ.get("COMPUTERNAME")
    if name:
        return name
    try:
        return socket.gethostname() or None
    except OSError:
        return None


def build_payload(
    task_key: str,
    task_name: str,
    kind: str,
    status: str,
    *,
    message: Optional[str] = None,
    exit_code: Optional[int] = None,
    started_at: Optional[datetime] = None,
    finished_at: Optional[datetime] = None,
    duration_ms: Optional[int] = None,
    log_url: Optional[str] = None,
    machine_name: Optional[str] = None,
) -> Dict[str, Any]:
    payload = {
        "task_key": task_key,
        "task_name": task_name,
        "kind": kind,
        "status": status,
        "machine_name": machine_name,
    }
    if message:
        payload["message"] = truncate_message(str(message))
    if exit_code is not None:
        payload["exit_code"] = int(exit_code)
    if started_at:
        payload["started_at"] = iso(started_at)
    if finished_at:
        payload["finished_at"] = iso(finished_at)
    if duration_ms is not None:
        payload["duration_ms"] = max(0, int(duration_ms))
    if log_url:
        payload["log_url"] = str(log_url)
    # PostgreSQL cannot store NUL in text; the gateway refuses it, so it never leaves the client.
    return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in payload.items()}


def iso(moment: datetime) -> str:
    """A naive datetime is local time (as datetime.now() gives); the gateway needs an offset."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat()


def truncate_message(message: str) -> str:
    """Keeps the tail, where a failing job's error is, within the gateway's limit."""
    if _utf16_length(message) <= MAX_MESSAGE_CHARS:
        return message
    budget = MAX_MESSAGE_CHARS - len(TRUNCATION_MARK)
    tail = []
    used = 0
    for char in reversed(message):
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > budget:
            break
        tail.append(char)
        used += size
    return TRUNCATION_MARK + "".join(reversed(tail))


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def encode(payload: Dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _usable_key(idempotency_key: Optional[str], log_file) -> str:
    if idempotency_key:
        try:
            return str(uuid.UUID(str(idempotency_key)))
        except ValueError:
            _log.say("idempotency key {!r} is not a UUID; using a new one".format(idempotency_key), log_file, "WARN")
    return str(uuid.uuid4())


def deliver(settings, body: bytes, key: str, status: str, log_file) -> str:
    """Spooled reports first, in order; then this one, or into the spool if the portal is away."""
    deadline = time.monotonic() + settings.max_total_sec

    def say(level: str, text: str) -> None:
        _log.say(text, log_file, level)

    def post(raw: bytes, report_key: str) -> _delivery.Outcome:
        return _delivery.post_with_retries(
            settings.report_url,
            settings.secret,
            raw,
            report_key,
            settings.timeout_sec,
            settings.max_attempts,
            deadline,
            say,
            settings.ca_file,
        )

    if settings.report_url is None:
        # Never guess a host: the fleet secret would go to whoever answers there.
        outcome = _delivery.Outcome(
            "unreachable", "TC_PORTAL_BASE_URL が未設定 / is not set: nothing sent, report kept in the spool"
        )
        _log.say(outcome.detail, log_file, "ERROR")
    else:
        spool = flush_spool(settings, post, say)
        if not spool.portal_ok:
            outcome = _delivery.Outcome("unreachable", "earlier reports are still waiting in the spool")
        else:
            outcome = post(body, key)
            if outcome.delivered:
                spool.portal_accepted()
    if outcome.delivered:
        _log.say(
            "報告成功: {} (monitor_id={}, key={})".format(status, outcome.answer.get("monitor_id"), key),
            log_file,
        )
        return "delivered"
    if outcome.kind == "rejected":
        _log.say("報告失敗: {}".format(outcome.answer or outcome.detail), log_file, "ERROR")
        return "rejected"
    try:
        path = _spool.add(settings.spool_dir, key, body, settings.spool_max_files, say)
    except OSError as error:
        _log.say("送信エラー: {}; could not spool it either: {}".format(outcome.detail, error), log_file, "ERROR")
        return "rejected"
    _log.say("送信エラー: {}; spooled as {}".format(outcome.detail, path), log_file, "WARN")
    return "spooled"


class _Flush:
    """What flushing the spool found. A spooled report the portal answered 5xx for is only a
    suspect until the portal accepts a later report in the same run (then the report, not the
    portal, is the problem and one failure is counted against it); after
    TC_PORTAL_SPOOL_MAX_FAILURES such runs it is set aside in spool/stuck. A portal that fails on
    everything (an outage) counts against nobody."""

    def __init__(self, settings, say) -> None:
        self.settings = settings
        self.say = say
        self.portal_ok = True
        self.suspects: List[_spool.SpooledReport] = []

    def portal_accepted(self) -> None:
        for report in self.suspects:
            counted = _spool.count_failure(report)
            if counted.failures >= self.settings.spool_max_failures and _spool.set_aside_stuck(counted, self.say):
                self.say(
                    "ERROR",
                    "spooled report {} failed in {} runs while others were accepted; set aside in {}".format(
                        counted.path.name, counted.failures, self.settings.spool_dir / _spool.STUCK_FOLDER
                    ),
                )
        self.suspects = []


def flush_spool(settings, post, say) -> _Flush:
    """Sends what earlier runs spooled, oldest first; stops while the portal is away."""
    flush = _Flush(settings, say)
    reason = _spool.refusal(settings.spool_dir)
    if reason:
        say("ERROR", reason)
        return flush
    for report in _spool.pending(settings.spool_dir):
        try:
            body = report.body()
        except OSError:
            continue  # delivered and removed by a job running at the same time
        outcome = post(body, report.idempotency_key)
        if outcome.delivered:
            _spool.delivered(report)
            say("INFO", "delivered spooled report {}".format(report.path.name))
            flush.portal_accepted()
        elif outcome.kind == "rejected" and outcome.status == 401:
            say("ERROR", "spooled reports kept: the portal refused the secret ({})".format(outcome.detail))
            flush.portal_ok = False
            return flush
        elif outcome.kind == "rejected":
            _spool.reject(report, say)
            say("ERROR", "spooled report {} refused, moved aside: {}".format(report.path.name, outcome.detail))
        elif (outcome.status or 0) >= 500 and not flush.suspects:
            # Try the next one: is it this report or the portal?
            flush.suspects.append(report)
            say("WARN", "spooled report {} failed ({}); trying the next".format(report.path.name, outcome.detail))
        else:
            say("WARN", "portal still unreachable ({}); spool kept".format(outcome.detail))
            flush.portal_ok = False
            return flush
    return flush
