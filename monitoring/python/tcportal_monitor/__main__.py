"""Command line: ``python -m tcportal_monitor run --task-key K --task-name N [--log-dir DIR] -- CMD...``.

Runs the command, reports how it ended, and exits with the command's own exit code, whatever
happened to the report (spec section 9.1). Also serves Linux cron jobs.
"""

import argparse
import os
import re
import stat
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional

from ._log import say
from ._report import report_task_status

LOG_TAIL_LINES = 40
LOG_TAIL_BYTES = 64 * 1024
COMMAND_NOT_FOUND = 127


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tcportal_monitor",
        description="Runs a command and reports its result to TC Portal Monitor.",
    )
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="run COMMAND and report how it ended")
    run.add_argument("--task-key", required=True, help="task identifier, e.g. nightly_import")
    run.add_argument("--task-name", required=True, help="display name (Japanese is fine)")
    run.add_argument("--kind", choices=["python", "bat"], default="python")
    run.add_argument("--log-dir", help="also write the command's output to a log file here")
    run.add_argument("--idempotency-key", help="UUID for this run (default: a new one)")
    run.add_argument("cmd", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    args = parser.parse_args(argv)
    if args.command != "run":
        parser.print_help()
        return 2
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("run needs a command after --")
    return run_and_report(args, cmd)


def run_and_report(args, cmd: List[str]) -> int:
    started_at = datetime.now(timezone.utc)
    log_file = _log_file(args.log_dir, args.task_key, started_at) if args.log_dir else None
    log_problem: List[str] = []
    try:
        exit_code = _run(cmd, log_file, log_problem)
        message = "{} exited with code {}".format(_display(cmd), exit_code)
    except OSError as error:  # the command could not be started at all
        exit_code = COMMAND_NOT_FOUND
        message = "{} could not be started: {}".format(_display(cmd), error)
        say(message, level="ERROR")
    finished_at = datetime.now(timezone.utc)
    if log_problem:
        message += "\n(log {}: {})".format(log_file, log_problem[0])
    if exit_code != 0 and log_file is not None:
        tail = log_tail(log_file)
        if tail:
            message += "\n--- last lines of {} ---\n{}".format(log_file, tail)
    report_task_status(
        args.task_key,
        args.task_name,
        "success" if exit_code == 0 else "failed",
        message=message,
        exit_code=exit_code,
        started_at=started_at,
        finished_at=finished_at,
        duration_ms=int((finished_at - started_at).total_seconds() * 1000),
        log_url=str(log_file) if log_file is not None and log_file.is_file() else None,
        kind=args.kind,
        idempotency_key=args.idempotency_key,
    )
    return exit_code


def _run(cmd: List[str], log_file: Optional[Path], log_problem: Optional[List[str]] = None) -> int:
    if log_file is None:
        process = subprocess.Popen(cmd)
    else:
        process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            _tee(process, log_file, log_problem if log_problem is not None else [])
        except BaseException:
            # Whatever went wrong here (Ctrl-C included), the child must never block on a full
            # pipe: keep reading until it ends, then report its own exit code.
            _drain(process)
    while True:
        try:
            code = process.wait()
            break
        except KeyboardInterrupt:
            continue  # the child got the same Ctrl-C; its own exit code is what we report
    if code < 0:  # killed by a signal (POSIX): report and exit as a shell would
        return 128 - code
    return code


def _read(process: "subprocess.Popen") -> bytes:
    return process.stdout.read1(8192) if hasattr(process.stdout, "read1") else process.stdout.read(8192)


def _drain(process: "subprocess.Popen") -> None:
    while True:
        try:
            if not _read(process):
                return
        except KeyboardInterrupt:
            continue
        except OSError:
            return


def _tee(process: "subprocess.Popen", log_file: Path, log_problem: List[str]) -> None:
    """Copies the child's output to the log and the console. A log that cannot be opened or
    written (disk full, folder gone) is given up on, with a note; the output keeps flowing to the
    console and the pipe keeps being read, so the child never blocks on it."""
    out = getattr(sys.stdout, "buffer", None)
    log = None
    try:
        log = open(log_file, "ab")
    except OSError as error:
        _note(log_problem, "could not be opened: {}".format(error))
    try:
        while True:
            chunk = _read(process)
            if not chunk:
                break
            if log is not None:
                try:
                    log.write(chunk)
                    log.flush()
                except OSError as error:
                    _note(log_problem, "writing stopped: {}".format(error))
                    log = _close_quietly(log)
            if out is not None:
                try:
                    out.write(chunk)
                    out.flush()
                except OSError:
                    pass  # a closed console must not stop the job's output going to the log
    finally:
        _close_quietly(log)


def _note(log_problem: List[str], text: str) -> None:
    if not log_problem:
        log_problem.append(text)
        say("job log " + text, level="ERROR")


def _close_quietly(log) -> None:
    if log is not None:
        try:
            log.close()
        except OSError:
            pass  # the buffered bytes could not be written either (disk full): nothing to lose
    return None


def _log_file(log_dir: str, task_key: str, started_at: datetime) -> Optional[Path]:
    """The run's log file, or None when its folder cannot be made: the job then runs without one."""
    folder = Path(log_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        say("log folder {} cannot be used ({}); the job runs without a log".format(folder, error), level="ERROR")
        return None
    safe_key = re.sub(r"[^A-Za-z0-9_.-]", "_", task_key)
    stamp = started_at.astimezone().strftime("%Y%m%d-%H%M%S-%f")[:-3]
    return folder / "{}_{}.log".format(safe_key, stamp)


def log_tail(log_file: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last lines of a log, read from its end only, so a huge log costs nothing."""
    try:
        with open(log_file, "rb") as source:
            if not stat.S_ISREG(os.fstat(source.fileno()).st_mode):
                return ""  # a device or pipe has no end to read
            source.seek(0, os.SEEK_END)
            size = source.tell()
            offset = max(0, size - LOG_TAIL_BYTES)
            source.seek(offset)
            raw = source.read(LOG_TAIL_BYTES)
    except OSError:
        return ""
    if offset > 0:
        raw = raw[raw.find(b"\n") + 1 :]  # the first line is partial and may start mid-character
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp932" if sys.platform == "win32" else "utf-8", "replace")
    return "\n".join(text.splitlines()[-lines:])


def _display(cmd: List[str]) -> str:
    return subprocess.list2cmdline(cmd) if sys.platform == "win32" else " ".join(cmd)


def _exit_status(code: int) -> int:
    """Windows exit codes such as 0xC0000005 are unsigned; the process exit needs them signed."""
    if sys.platform == "win32" and code > 0x7FFFFFFF:
        return code - 0x1_0000_0000
    return code


if __name__ == "__main__":
    sys.exit(_exit_status(main()))
