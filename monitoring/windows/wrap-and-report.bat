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
rem Each run's Idempotency-Key is made by tcportal-monitor.ps1 (a new GUID per run, kept with the
rem report in its spool for that run's retries). Nothing here comes from cmd's RANDOM variable: cmd seeds it
rem from the current second, so two wrappers started in the same second would share clock files
rem and a key, and the second run would be dropped as a duplicate. The clock answers go through
rem a folder this run claims with mkdir, which succeeds for exactly one process.
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
set "LOG_FILE="
set "CLOCK="
set "RUN_DIR="
set "CLOCK_FILE="

rem 1. Arguments
if not defined TASK_KEY goto :usage
if not defined TASK_NAME goto :usage
if not defined TARGET goto :usage
rem A double quote would end the quoting that keeps "&", "|", "<" and ">" harmless below.
set "TASK_KEY=%TASK_KEY:"=%"
set "TASK_NAME=%TASK_NAME:"=%"
if not defined TASK_KEY goto :usage
if not defined TASK_NAME goto :usage
rem The key in the log file name: every character that could leave LOG_DIR ("\", "/", ":"), name
rem a device or stream, or mean something to cmd becomes "_", as the Python wrapper does. A "*"
rem or "?" left in it makes the name invalid, so the job then runs without a log.
set "SAFE_KEY=%TASK_KEY%"
set "SAFE_KEY=%SAFE_KEY:\=_%"
set "SAFE_KEY=%SAFE_KEY:/=_%"
set "SAFE_KEY=%SAFE_KEY::=_%"
set "SAFE_KEY=%SAFE_KEY:<=_%"
set "SAFE_KEY=%SAFE_KEY:>=_%"
set "SAFE_KEY=%SAFE_KEY:|=_%"
set "SAFE_KEY=%SAFE_KEY:&=_%"
set "SAFE_KEY=%SAFE_KEY:^=_%"
set "SAFE_KEY=%SAFE_KEY: =_%"
set "SAFE_KEY=%SAFE_KEY:(=_%"
set "SAFE_KEY=%SAFE_KEY:)=_%"
set "SAFE_KEY=%SAFE_KEY:!=_%"
set "SAFE_KEY=%SAFE_KEY:;=_%"
set "SAFE_KEY=%SAFE_KEY:,=_%"
set "SAFE_KEY=%SAFE_KEY:..=__%"

rem UTF-8 code page for the wrapper (spec 4.2); the target itself runs in the code page it
rem would have had without the wrapper, so a Shift_JIS batch file keeps working.
set "ORIGINAL_CP="
for /f "tokens=2 delims=:." %%C in ('chcp') do set /a "ORIGINAL_CP=%%C" >nul 2>&1
chcp 65001 >nul 2>&1

rem 3. Start time (ISO 8601, UTC) and a file-name stamp in local time.
call :claim_run_dir
if not defined RUN_DIR goto :start_clock_done
%TC_PS% -Command "[DateTime]::UtcNow.ToString('o') + ' ' + [DateTime]::Now.ToString('yyyyMMdd-HHmmss-fff')" >"%CLOCK_FILE%" 2>nul
if exist "%CLOCK_FILE%" set /p "CLOCK=" <"%CLOCK_FILE%"
call :release_run_dir
if defined CLOCK call :read_start_clock %CLOCK%
:start_clock_done

rem Without a stamp from PowerShell there is no name that is surely this run's: no log then.
if not defined RUN_STAMP set "LOG_DIR="
if not defined LOG_DIR goto :log_ready
if "%LOG_DIR:~-1%"=="\" set "LOG_DIR=%LOG_DIR:~0,-1%"
if not exist "%LOG_DIR%\" mkdir "%LOG_DIR%" >nul 2>&1
set "LOG_FILE=%LOG_DIR%\%SAFE_KEY%_%RUN_STAMP%.log"
>>"%LOG_FILE%" echo [TC Portal] start %STARTED_AT% task="%TASK_KEY%" target="%TARGET%"
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
call :claim_run_dir
if not defined RUN_DIR goto :report
%TC_PS% -Command "$started = [DateTimeOffset]::Parse('%STARTED_AT%'); $now = [DateTimeOffset]::UtcNow; $now.UtcDateTime.ToString('o') + ' ' + [long](($now - $started).TotalMilliseconds)" >"%CLOCK_FILE%" 2>nul
if exist "%CLOCK_FILE%" set /p "CLOCK=" <"%CLOCK_FILE%"
call :release_run_dir
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
exit /b 0

:claim_run_dir
rem mkdir fails when the folder exists, so of two wrappers started at the same moment each gets
rem its own folder. The folder lives only while PowerShell answers (about a second), so one left
rem behind by a killed wrapper is rare; it is skipped.
set "RUN_DIR="
set "CLOCK_FILE="
set /a "RUN_N=0"
:claim_next
set /a "RUN_N+=1"
if %RUN_N% GTR 100 exit /b 0
rem A successful mkdir leaves ERRORLEVEL as it was: "(call )" sets it to 0 first.
(call )
mkdir "%TEMP%\tcportal-run-%RUN_N%" >nul 2>&1
if errorlevel 1 goto :claim_next
set "RUN_DIR=%TEMP%\tcportal-run-%RUN_N%"
set "CLOCK_FILE=%TEMP%\tcportal-run-%RUN_N%\clock.txt"
exit /b 0

:release_run_dir
del "%CLOCK_FILE%" >nul 2>&1
rmdir "%RUN_DIR%" >nul 2>&1
set "RUN_DIR="
exit /b 0

:read_finish_clock
set "FINISHED_AT=%~1"
set "DURATION_MS=%~2"
exit /b 0

:usage
>&2 echo Usage: wrap-and-report.bat ^<TASK_KEY^> ^<TASK_NAME^> ^<PATH_TO_BAT^> [LOG_DIR]
>&2 echo   e.g. wrap-and-report.bat nightly_import "Nightly import" "C:\Scripts\import.bat" "C:\Logs"
endlocal & exit /b 1
