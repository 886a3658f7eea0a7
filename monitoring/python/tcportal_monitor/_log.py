"""What the client says: a console line (as in spec section 5.1) and a line in its own log file.

Neither may fail the job: a console that cannot encode Japanese or a log folder that cannot be
written is tolerated silently.
"""

import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

PREFIX = "[TC Portal]"
LOG_MAX_BYTES = 1024 * 1024  # then the file moves to .1, so the log stays bounded at ~2 MiB


def say(text: str, log_file: Optional[Path] = None, level: str = "INFO") -> None:
    _print_safely(PREFIX + " " + text)
    if log_file is not None:
        _append(log_file, level, text)


def _print_safely(line: str) -> None:
    try:
        print(line, flush=True)
    except UnicodeEncodeError:
        encoding = getattr(sys.stdout, "encoding", None) or "ascii"
        try:
            print(line.encode(encoding, "replace").decode(encoding), flush=True)
        except Exception:
            pass
    except Exception:
        pass


def _append(log_file: Path, level: str, text: str) -> None:
    from ._spool import is_reparse_point  # a link or junction could point the log at any file

    try:
        if any(is_reparse_point(p) for p in (log_file.parent, log_file, log_file.with_name(log_file.name + ".1"))):
            _print_safely("{} the log file {} is behind a link or junction; not written".format(PREFIX, log_file))
            return
        log_file.parent.mkdir(parents=True, exist_ok=True)
        if log_file.exists() and log_file.stat().st_size > LOG_MAX_BYTES:
            log_file.replace(log_file.with_name(log_file.name + ".1"))
        stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        with open(log_file, "a", encoding="utf-8", newline="") as out:
            out.write(
                "{} {} [python] {}{}".format(stamp, level, text.replace("\n", " | "), os.linesep)
            )
    except Exception:
        pass
