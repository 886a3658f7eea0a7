"""The spool: reports that could not be delivered, kept on disk until the portal is back.

One file per report, named ``<UTC time, 7 fractional digits>Z-<idempotency key>.json`` so that
names sort in the order the reports were made; the file holds the exact UTF-8 body that will be
posted. tcportal-monitor.ps1 writes and reads the same format, so either client may deliver what
the other spooled. Re-sending a spooled report is safe: the gateway stores one run per key.
"""

import os
import re
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, List, NamedTuple, Optional

_NAME = re.compile(
    r"^\d{8}T\d{13}Z-(?P<key>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.json$"
)
REJECTED_FOLDER = "rejected"
REJECTED_MAX_FILES = 100


class SpooledReport(NamedTuple):
    path: Path
    idempotency_key: str

    def body(self) -> bytes:
        return self.path.read_bytes()


def file_name(idempotency_key: str, now: Optional[datetime] = None) -> str:
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    # .NET's "fffffff" has 7 digits; microseconds plus a 0 keep both clients' names sortable.
    return "{}{}0Z-{}.json".format(
        moment.strftime("%Y%m%dT%H%M%S"), "{:06d}".format(moment.microsecond), idempotency_key
    )


def pending(spool_dir: Path) -> List[SpooledReport]:
    """Spooled reports, oldest first; files that do not follow the naming rule are ignored."""
    try:
        names = sorted(entry.name for entry in os.scandir(spool_dir) if entry.is_file())
    except OSError:
        return []
    reports = []
    for name in names:
        match = _NAME.match(name)
        if match:
            reports.append(SpooledReport(spool_dir / name, match.group("key").lower()))
    return reports


def add(
    spool_dir: Path,
    idempotency_key: str,
    body: bytes,
    max_files: int,
    say: Callable[[str, str], None],
) -> Path:
    """Writes atomically (temporary file, then rename), then drops the oldest beyond max_files."""
    spool_dir.mkdir(parents=True, exist_ok=True)
    target = spool_dir / file_name(idempotency_key)
    partial = target.with_name(target.name + "." + uuid.uuid4().hex + ".partial")
    with open(partial, "wb") as out:
        out.write(body)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, target)
    queued = pending(spool_dir)
    for oldest in queued[: max(0, len(queued) - max_files)]:
        _remove(oldest.path)
        say("WARN", "spool is full ({} reports): dropped the oldest, {}".format(max_files, oldest.path.name))
    return target


def delivered(report: SpooledReport) -> None:
    _remove(report.path)


def reject(report: SpooledReport, say: Callable[[str, str], None]) -> None:
    """Keeps a report the portal refused for good aside, for an operator to read; bounded too."""
    folder = report.path.parent / REJECTED_FOLDER
    try:
        folder.mkdir(exist_ok=True)
        os.replace(report.path, folder / report.path.name)
        kept = sorted(p for p in folder.iterdir() if p.is_file())
        for oldest in kept[: max(0, len(kept) - REJECTED_MAX_FILES)]:
            _remove(oldest)
    except OSError as error:
        say("WARN", "could not move {} aside: {}".format(report.path.name, error))
        _remove(report.path)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass  # another job delivering the same spool got there first
