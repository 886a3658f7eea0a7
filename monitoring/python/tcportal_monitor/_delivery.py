"""Posting one report body to the gateway, with bounded retries inside a time budget.

Retried: network errors, timeouts, 408, 429 and 5xx (a 503 says when to come back in
Retry-After). Never retried: any other answer, above all 400/401/413/415, which would fail again.
Not retried but kept for later (spooled): a redirect (3xx, usually http:// for https:// or a proxy
login page) and a server certificate that is not trusted; both need an operator, not a retry.
"""

import email.utils
import json
import random
import socket
import ssl
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import Callable, NamedTuple, Optional

USER_AGENT = "tcportal-monitor-python/1.0"
_RETRIED_STATUSES = {408, 429}


class Outcome(NamedTuple):
    """delivered, rejected (the portal refused it for good) or unreachable (worth trying later)."""

    kind: str
    detail: str
    status: Optional[int] = None
    answer: Optional[dict] = None

    @property
    def delivered(self) -> bool:
        return self.kind == "delivered"


class _RedirectRefused(urllib.request.HTTPRedirectHandler):
    """A redirect would turn the POST into a GET; better to report a wrong base URL."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401
        return None


_openers = {}
CERTIFICATE_NOT_TRUSTED = (
    "サーバー証明書を信頼できません / the server's TLS certificate is not trusted ({}): import the company CA "
    "into the Windows certificate store (Import-Certificate / certutil) or set TC_PORTAL_CA_FILE to its PEM file"
)


def _opener(ca_file: Optional[str]):
    """One opener per CA file: the system's trust store, or only the company CA named by TC_PORTAL_CA_FILE."""
    if ca_file not in _openers:
        context = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
        _openers[ca_file] = urllib.request.build_opener(
            _RedirectRefused, urllib.request.HTTPSHandler(context=context)
        )
    return _openers[ca_file]


def _certificate_error(error: BaseException) -> Optional[BaseException]:
    reason = getattr(error, "reason", error)
    if isinstance(reason, ssl.SSLCertVerificationError):
        return reason
    if isinstance(reason, ssl.SSLError) and "CERTIFICATE_VERIFY_FAILED" in str(reason):
        return reason
    return None


def post_once(
    url: str, secret: str, body: bytes, idempotency_key: str, timeout: float, ca_file: Optional[str] = None
) -> Outcome:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            "X-TC-Portal-Secret": secret,
            "Idempotency-Key": idempotency_key,
        },
    )
    try:
        opener = _opener(ca_file)
    except (OSError, ssl.SSLError) as error:  # TC_PORTAL_CA_FILE missing or not a PEM certificate
        return Outcome("unreachable", "TC_PORTAL_CA_FILE {!r} cannot be used: {}".format(ca_file, error))
    try:
        with opener.open(request, timeout=timeout) as response:
            answer = _json(response.read())
            if answer.get("ok") is True:
                return Outcome("delivered", "ok", response.status, answer)
            return Outcome("rejected", "unexpected answer: {}".format(answer), response.status, answer)
    except urllib.error.HTTPError as error:
        status = error.code
        try:
            answer = _json(error.read())
        except Exception:
            answer = {}
        detail = "HTTP {}: {}".format(status, answer.get("error") or error.reason)
        if status == 407:  # the proxy wants a login: the report is fine, the PC's proxy setting is not
            return Outcome("unreachable", "HTTP 407 from the proxy: set the proxy for the task's account; report kept", status)
        if 300 <= status < 400:
            location = error.headers.get("Location") if error.headers is not None else None
            return Outcome(
                "unreachable",
                "HTTP {} redirect to {}: check TC_PORTAL_BASE_URL (https://? a proxy?); report kept".format(
                    status, location or "(no Location)"
                ),
                status,
            )
        if status in _RETRIED_STATUSES or status >= 500:
            return Outcome("retry", detail, status, {"retry_after": _retry_after(error.headers)})
        return Outcome("rejected", detail, status, answer)
    except (urllib.error.URLError, socket.timeout, OSError, ValueError) as error:
        certificate = _certificate_error(error)
        if certificate is not None:
            return Outcome("unreachable", CERTIFICATE_NOT_TRUSTED.format(getattr(certificate, "verify_message", None) or certificate))
        reason = getattr(error, "reason", error)
        return Outcome("retry", "network error: {}".format(reason))
    except Exception as error:  # e.g. http.client.RemoteDisconnected, IncompleteRead
        return Outcome("retry", "network error: {!r}".format(error))


def post_with_retries(
    url: str,
    secret: str,
    body: bytes,
    idempotency_key: str,
    timeout_sec: float,
    max_attempts: int,
    deadline: float,
    say: Callable[[str, str], None],
    ca_file: Optional[str] = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Tries until delivered, refused, out of attempts or past the deadline (a monotonic time)."""
    attempt = 0
    while True:
        attempt += 1
        remaining = deadline - clock()
        if remaining < 0.2:
            return Outcome("unreachable", "time limit reached before attempt {}".format(attempt))
        outcome = post_once(url, secret, body, idempotency_key, min(timeout_sec, remaining), ca_file)
        if outcome.kind != "retry":
            return outcome
        if attempt >= max_attempts:
            return Outcome(
                "unreachable", "{} attempts failed, last: {}".format(attempt, outcome.detail), outcome.status
            )
        delay = min(8.0, 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
        retry_after = (outcome.answer or {}).get("retry_after")
        if retry_after is not None:
            delay = max(delay, retry_after)
        if clock() + delay >= deadline:
            return Outcome("unreachable", "time limit reached, last: {}".format(outcome.detail), outcome.status)
        say("WARN", "attempt {} failed ({}); retrying in {:.1f}s".format(attempt, outcome.detail, delay))
        sleep(delay)


def _json(raw: bytes) -> dict:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _retry_after(headers) -> Optional[float]:
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - datetime.now(timezone.utc)).total_seconds())
