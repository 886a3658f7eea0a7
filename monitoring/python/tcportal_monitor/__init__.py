"""TC Portal Monitor client for Python jobs (stdlib only, Python 3.8+).

``report_task_status`` is the function of spec section 5.1 with the same signature; it never
raises. ``monitored`` times a block or a function and reports how it ended. ``python -m
tcportal_monitor run --task-key K --task-name N -- COMMAND...`` wraps any command.
"""

from ._monitored import monitored
from ._report import report_task_status

__all__ = ["monitored", "report_task_status"]
__version__ = "1.0.0"
