@echo off
rem ===========================================================================================
rem wrap-and-report.bat  <TASK_KEY> <TASK_NAME> <PATH_TO_BAT> [LOG_DIR]      (spec section 4.2)
rem
rem Runs PATH_TO_BAT unchanged, reports the run to TC Portal Monitor through tcportal-monitor.ps1
rem (which sits beside this file) and returns the target's own exit code, whatever happened to
rem the report. With LOG_DIR, the target's output goes to LOG_DIR\<TASK_KEY>_<yyyyMMdd-HHmmss-fff>.log;
rem on failure the last lines of that log are sent in the message and its path in log_url.
rem
rem Environment (optional):
rem   TC_PS              how PowerShell is started; default
rem                      powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass
rem                      (e.g. "C:\Program Files\PowerShell\7\pwsh.exe" -NoProfile -NonInteractive)
rem   TC_LOG_TAIL_LINES  log lines sent on failure, default 40
rem Plus the variables of tcportal-monitor.ps1 (TC_PORTAL_WEBHOOK_SECRET, TC_PORTAL_BASE_URL, ...).
rem
rem This file has no BOM (it would break the first line) and CRLF line endings.
rem ===========================================================================================

rem Delayed expansion stays OFF on purpose (the spec's sketch turns it on): with it, every "!" in
rem a task name or path is lost, and cmd implementations differ in how they re-scan !VAR! values.
rem Values are read as %VAR% on single lines (no parenthesised blocks) and always inside quotes,
rem so "!", "&", "^" and parentheses in names and paths stay as they are.
setlocal DisableDelayedExpansion
set "TASK_KEY=%~1"
set "TASK_NAME=%~2"
set "TARGET=%~3"
set "LOG_DIR=%~4"
set "SCRIPT_DIR=%~dp0"

if not defined TC_PS set "TC_PS=powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass"
if not defined TC_LOG_TAIL_LINES set "TC_LOG_TAIL_LINES=40"
set "BAT_EXIT_CODE=0"
set "STARTED_AT="
set "FINISHED_AT="
set "DURATION_MS="
set "RUN_STAMP="
set "RUN_KEY="
set "LOG_FILE="
set "CLOCK="

rem 1. Arguments
if not defined TASK_KEY goto :usage
if not defined TASK_NAME goto :usage
if not defined TARGET goto :usage

rem UTF-8 code page for the wrapper (spec 4.2); the target itself runs in the code page it
rem would have had without the wrapper, so a Shift_JIS batch file keeps working.
set "ORIGINAL_CP="
for /f "tokens=2 delims=:." %%C in ('chcp') do set /a "ORIGINAL_CP=%%C" >nul 2>&1
chcp 65001 >nul 2>&1

rem 3. Start time (ISO 8601, UTC), a file-name stamp in local time, and the run's idempotency key.
set "CLOCK_FILE=%TEMP%\tcportal-clock-%RANDOM%%RANDOM%.txt"
%TC_PS% -Command "[DateTime]::UtcNow.ToString('o') + ' ' + [DateTime]::Now.ToString('yyyyMMdd-HHmmss-fff') + ' ' + [guid]::NewGuid().ToString()" >"%CLOCK_FILE%" 2>nul
if exist "%CLOCK_FILE%" set /p "CLOCK=" <"%CLOCK_FILE%"
del "%CLOCK_FILE%" >nul 2>&1
if defined CLOCK call :read_start_clock %CLOCK%
if not defined RUN_STAMP set "RUN_STAMP=run-%RANDOM%%RANDOM%"

if not defined LOG_DIR goto :log_ready
if "%LOG_DIR:~-1%"=="\" set "LOG_DIR=%LOG_DIR:~0,-1%"
if not exist "%LOG_DIR%\" mkdir "%LOG_DIR%" >nul 2>&1
set "LOG_FILE=%LOG_DIR%\%TASK_KEY%_%RUN_STAMP%.log"
>>"%LOG_FILE%" echo [TC Portal] start %STARTED_AT% task=%TASK_KEY% target="%TARGET%"
rem A log that cannot be written must not stop the job: it then runs without one.
if not exist "%LOG_FILE%" set "LOG_FILE="
:log_ready

rem 2. The target must exist; a missing one is reported as a failed run (exit code 9009, as cmd).
if exist "%TARGET%" goto :run
set "BAT_EXIT_CODE=9009"
set "MESSAGE=Target not found: %TARGET%"
>&2 echo [TC Portal] Target not found: "%TARGET%"
goto :finished

:run
rem 4./5. Run the target with cmd /c (a "call" can lose its exit code) and take its exit code.
if defined ORIGINAL_CP chcp %ORIGINAL_CP% >nul 2>&1
if not defined LOG_FILE goto :run_without_log
cmd /c ""%TARGET%"" >>"%LOG_FILE%" 2>&1
set "BAT_EXIT_CODE=%ERRORLEVEL%"
goto :ran
:run_without_log
cmd /c ""%TARGET%""
set "BAT_EXIT_CODE=%ERRORLEVEL%"
:ran
chcp 65001 >nul 2>&1
set "MESSAGE=%TARGET% exited with code %BAT_EXIT_CODE%"

:finished
rem 6./7. Finish time and duration in milliseconds.
if not defined STARTED_AT goto :report
set "CLOCK="
%TC_PS% -Command "$started = [DateTimeOffset]::Parse('%STARTED_AT%'); $now = [DateTimeOffset]::UtcNow; $now.UtcDateTime.ToString('o') + ' ' + [long](($now - $started).TotalMilliseconds)" >"%CLOCK_FILE%" 2>nul
if exist "%CLOCK_FILE%" set /p "CLOCK=" <"%CLOCK_FILE%"
del "%CLOCK_FILE%" >nul 2>&1
if defined CLOCK call :read_finish_clock %CLOCK%

:report
rem 8. success when the exit code is 0, else failed.
set "STATUS=failed"
if "%BAT_EXIT_CODE%"=="0" set "STATUS=success"
if defined LOG_FILE >>"%LOG_FILE%" echo [TC Portal] finished %FINISHED_AT% status=%STATUS% exit_code=%BAT_EXIT_CODE%

rem 9. Report. Optional arguments are passed only when known.
set "OPTIONAL="
if defined STARTED_AT set "OPTIONAL=%OPTIONAL% -StartedAt "%STARTED_AT%""
if defined FINISHED_AT set "OPTIONAL=%OPTIONAL% -FinishedAt "%FINISHED_AT%""
if defined DURATION_MS set "OPTIONAL=%OPTIONAL% -DurationMs %DURATION_MS%"
if defined RUN_KEY set "OPTIONAL=%OPTIONAL% -IdempotencyKey "%RUN_KEY%""
if not defined LOG_FILE goto :send
if "%STATUS%"=="failed" set "OPTIONAL=%OPTIONAL% -LogTailLines %TC_LOG_TAIL_LINES%"
rem The log path goes last and on its own: it may hold "&" or "^", which are safe only in quotes.
%TC_PS% -File "%SCRIPT_DIR%tcportal-monitor.ps1" -TaskKey "%TASK_KEY%" -TaskName "%TASK_NAME%" -Kind bat -Status %STATUS% -ExitCode %BAT_EXIT_CODE% -Message "%MESSAGE%"%OPTIONAL% -LogUrl "%LOG_FILE%"
goto :done
:send
%TC_PS% -File "%SCRIPT_DIR%tcportal-monitor.ps1" -TaskKey "%TASK_KEY%" -TaskName "%TASK_NAME%" -Kind bat -Status %STATUS% -ExitCode %BAT_EXIT_CODE% -Message "%MESSAGE%"%OPTIONAL%

:done
rem 10. The target's own exit code, whatever happened to the report.
if defined ORIGINAL_CP chcp %ORIGINAL_CP% >nul 2>&1
endlocal & exit /b %BAT_EXIT_CODE%

:read_start_clock
set "STARTED_AT=%~1"
set "RUN_STAMP=%~2"
set "RUN_KEY=%~3"
exit /b 0

:read_finish_clock
set "FINISHED_AT=%~1"
set "DURATION_MS=%~2"
exit /b 0

:usage
>&2 echo Usage: wrap-and-report.bat ^<TASK_KEY^> ^<TASK_NAME^> ^<PATH_TO_BAT^> [LOG_DIR]
>&2 echo   e.g. wrap-and-report.bat nightly_import "Nightly import" "C:\Scripts\import.bat" "C:\Logs"
endlocal & exit /b 1
