"""Times a block of code and reports how it ended, as spec section 5.2 does by hand."""

import contextlib
import traceback
import uuid
from datetime import datetime, timezone
from typing import Optional

from ._report import report_task_status

TRACEBACK_LINES = 30  # enough to see the error; the message stays readable on the dashboard


class monitored(contextlib.ContextDecorator):  # noqa: N801 - reads like a keyword: `with monitored(...)`
    """Reports success or failure of the block; the job's own exception is always re-raised.

    As a context manager::

        with monitored("nightly_import", "ナイトリー取込") as run:
            count = do_import()
            run.message = f"処理完了: {count}件"

    or as a decorator::

        @monitored("nightly_import", "ナイトリー取込")
        def main(): ...
    """

    def __init__(
        self,
        task_key: str,
        task_name: str,
        *,
        message: Optional[str] = None,
        log_url: Optional[str] = None,
        idempotency_key: Optional[str] = None,
    ) -> None:
        self.task_key = task_key
        self.task_name = task_name
        self.message = message
        self.log_url = log_url
        # Given explicitly, the key is used for the first run only: a key names one run, and a
        # reused key would make the portal drop every later run as a retry of the first.
        self.idempotency_key = idempotency_key
        self._run_key: Optional[str] = None
        self.started_at: Optional[datetime] = None
        self.outcome: Optional[str] = None

    def _recreate_cm(self) -> "monitored":
        """As a decorator: a fresh run (and key) per call, also when calls overlap in threads."""
        return monitored(self.task_key, self.task_name, message=self.message, log_url=self.log_url)

    def __enter__(self) -> "monitored":
        self.started_at = datetime.now(timezone.utc)
        self.outcome = None
        self._run_key = self.idempotency_key or str(uuid.uuid4())
        self.idempotency_key = None  # a second `with` on this object is another run
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        finished_at = datetime.now(timezone.utc)
        status, exit_code, message = "success", 0, self.message
        if exc_type is SystemExit and exc.code in (None, 0):
            pass  # sys.exit(0) is a normal end
        elif exc_type is SystemExit:
            status = "failed"
            exit_code = exc.code if isinstance(exc.code, int) else 1
            message = self.message or "exited with {!r}".format(exc.code)
        elif exc_type is not None:
            status, exit_code = "failed", 1
            lines = "".join(traceback.format_exception(exc_type, exc, tb)).splitlines()
            message = "\n".join(lines[-TRACEBACK_LINES:])
            if self.message:
                message = self.message + "\n" + message
        self.outcome = report_task_status(
            self.task_key,
            self.task_name,
            status,
            message=message,
            exit_code=exit_code,
            started_at=self.started_at,
            finished_at=finished_at,
            duration_ms=int((finished_at - self.started_at).total_seconds() * 1000),
            log_url=self.log_url,
            idempotency_key=self._run_key,
        )
        return False  # never swallow the job's own exception
