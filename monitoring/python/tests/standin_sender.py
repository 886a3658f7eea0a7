"""The report half of the PowerShell stand-in for the BAT tests: takes tcportal-monitor.ps1's
arguments (-File <ps1> -TaskKey ... -Status ... [-IdempotencyKey ...]) and posts them with the
Python client, which makes a new key per run exactly when the sender does (none given)."""

import sys

from tcportal_monitor import report_task_status


def main(argv):
    arguments = dict(zip(argv[2::2], argv[3::2])) if argv[:1] == ["-File"] else {}
    report_task_status(
        arguments.get("-TaskKey"),
        arguments.get("-TaskName"),
        arguments.get("-Status"),
        message=arguments.get("-Message"),
        exit_code=int(arguments.get("-ExitCode", "0")),
        log_url=arguments.get("-LogUrl"),
        kind="bat",
        idempotency_key=arguments.get("-IdempotencyKey"),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
