"""Starts ``python -m tcportal_monitor`` from wherever this file is, without PYTHONPATH and
without changing the job's working directory: the package is looked for beside this file.

    python.exe "C:\\Program Files\\TcPortalMonitor\\python\\tcportal-run.py" run --task-key K --task-name N -- CMD...

Install-TcPortalMonitor.ps1 wraps Python tasks this way, so their "Start in" folder stays theirs.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tcportal_monitor.__main__ import _exit_status, main  # noqa: E402

if __name__ == "__main__":
    sys.exit(_exit_status(main()))
