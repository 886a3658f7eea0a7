"""The spool: reports that could not be delivered, kept on disk until the portal is back.

One file per report, named ``<UTC time, 7 fractional digits>Z-<idempotency key>.json`` so that
names sort in the order the reports were made; the file holds the exact UTF-8 body that will be
posted. After the portal answered 5xx for it while it accepted other reports, the name gains the
number of such runs: ``...Z-<key>.f<N>.json``. tcportal-monitor.ps1 writes and reads the same
format, so either client may deliver what the other spooled. Re-sending a spooled report is safe:
the gateway stores one run per key.

The spool folder may be reachable by other local users, so the client trusts nothing in it: it
reads, moves and deletes only plain files whose names follow the pattern above, and refuses to
work through a symbolic link, junction or other reparse point (which could point it at any folder
the job's account may write).
"""

import os
import re
import stat
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, List, NamedTuple, Optional

_NAME = re.compile(
    r"^(?P<stamp>\d{8}T\d{13}Z)-(?P<key>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:\.f(?P<failures>\d{1,4}))?\.json$"
)
REJECTED_FOLDER = "rejected"  # the portal refused these for good (400/413/415): never re-sent
STUCK_FOLDER = "stuck"  # the portal kept failing on these while it accepted others: set aside
ASIDE_MAX_FILES = 100
REJECTED_MAX_FILES = ASIDE_MAX_FILES
_FILE_ATTRIBUTE_REPARSE_POINT = 0x400


class SpoolRefused(OSError):
    """The spool (or a folder in it) is a link or junction: the client will not write through it."""


class SpooledReport(NamedTuple):
    path: Path
    idempotency_key: str
    failures: int = 0

    def body(self) -> bytes:
        with open(self.path, "rb") as source:
            if not stat.S_ISREG(os.fstat(source.fileno()).st_mode):
                raise OSError("not a regular file: {}".format(self.path))
            return source.read()


def is_reparse_point(path: Path) -> bool:
    """A symbolic link, a junction or any other reparse point (Windows), without following it."""
    try:
        info = os.lstat(str(path))
    except OSError:
        return False  # not there (yet): nothing to follow
    if stat.S_ISLNK(info.st_mode):
        return True
    return bool(getattr(info, "st_file_attributes", 0) & _FILE_ATTRIBUTE_REPARSE_POINT)


def refusal(spool_dir: Path) -> Optional[str]:
    """Why the spool cannot be used safely, or None. Checks the spool, its parent (the log folder)
    and the folders reports are set aside in."""
    for candidate in (spool_dir.parent, spool_dir, spool_dir / REJECTED_FOLDER, spool_dir / STUCK_FOLDER):
        if is_reparse_point(candidate):
            return "{} is a link or junction (reparse point); the spool is not used".format(candidate)
    return None


def file_name(idempotency_key: str, now: Optional[datetime] = None) -> str:
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    # .NET's "fffffff" has 7 digits; microseconds plus a 0 keep both clients' names sortable.
    return "{}{}0Z-{}.json".format(
        moment.strftime("%Y%m%dT%H%M%S"), "{:06d}".format(moment.microsecond), idempotency_key
    )


def _own_files(folder: Path) -> List[SpooledReport]:
    """Plain files (never links) named by the spool's pattern, oldest first."""
    try:
        entries = [entry for entry in os.scandir(str(folder)) if entry.is_file(follow_symlinks=False)]
    except OSError:
        return []
    reports = []
    for name in sorted(entry.name for entry in entries):
        match = _NAME.match(name)
        if match:
            failures = int(match.group("failures") or 0)
            reports.append(SpooledReport(folder / name, match.group("key").lower(), failures))
    return reports


def pending(spool_dir: Path) -> List[SpooledReport]:
    """Spooled reports, oldest first; files that do not follow the naming rule are ignored."""
    if refusal(spool_dir):
        return []
    return _own_files(spool_dir)


def add(
    spool_dir: Path,
    idempotency_key: str,
    body: bytes,
    max_files: int,
    say: Callable[[str, str], None],
) -> Path:
    """Writes atomically (temporary file, then rename), then drops the oldest beyond max_files."""
    reason = refusal(spool_dir)
    if reason:
        raise SpoolRefused(reason)
    spool_dir.mkdir(parents=True, exist_ok=True)
    reason = refusal(spool_dir)  # made a moment ago by someone else?
    if reason:
        raise SpoolRefused(reason)
    target = spool_dir / file_name(idempotency_key)
    partial = target.with_name(target.name + "." + uuid.uuid4().hex + ".partial")
    # O_EXCL: never write through a link someone placed under the temporary name.
    descriptor = os.open(str(partial), os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(body)
        out.flush()
        os.fsync(out.fileno())
    os.replace(str(partial), str(target))
    queued = pending(spool_dir)
    for oldest in queued[: max(0, len(queued) - max_files)]:
        _remove(oldest.path)
        say("WARN", "spool is full ({} reports): dropped the oldest, {}".format(max_files, oldest.path.name))
    return target


def delivered(report: SpooledReport) -> None:
    _remove(report.path)


def count_failure(report: SpooledReport) -> SpooledReport:
    """Records one more run in which the portal failed on this report while it accepted others."""
    failures = report.failures + 1
    match = _NAME.match(report.path.name)
    renamed = report.path.with_name("{}-{}.f{}.json".format(match.group("stamp"), match.group("key"), failures))
    try:
        os.replace(str(report.path), str(renamed))
    except FileNotFoundError:
        return report  # delivered by a job running at the same time
    return SpooledReport(renamed, report.idempotency_key, failures)


def reject(report: SpooledReport, say: Callable[[str, str], None]) -> None:
    """Keeps a report the portal refused for good aside, for an operator to read; bounded too."""
    if not _set_aside(report, REJECTED_FOLDER, say):
        _remove(report.path)  # never re-sent either way


def set_aside_stuck(report: SpooledReport, say: Callable[[str, str], None]) -> bool:
    """Moves a report the portal keeps failing on out of the way of the others."""
    return _set_aside(report, STUCK_FOLDER, say)


def _set_aside(report: SpooledReport, folder_name: str, say: Callable[[str, str], None]) -> bool:
    folder = report.path.parent / folder_name
    try:
        folder.mkdir(exist_ok=True)
        if is_reparse_point(folder):
            raise SpoolRefused("{} is a link or junction (reparse point)".format(folder))
        os.replace(str(report.path), str(folder / report.path.name))
        kept = _own_files(folder)  # only the spool's own files are ever deleted
        for oldest in kept[: max(0, len(kept) - ASIDE_MAX_FILES)]:
            _remove(oldest.path)
        return True
    except OSError as error:
        say("WARN", "could not move {} aside: {}".format(report.path.name, error))
        return False


def _remove(path: Path) -> None:
    try:
        path.unlink()  # a link is removed itself, its target never
    except FileNotFoundError:
        pass  # another job delivering the same spool got there first
