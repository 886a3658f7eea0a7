<#
.SYNOPSIS
  Reports one task run to TC Portal Monitor (POST /api/monitor/report).

.DESCRIPTION
  Sends the report of spec section 3.3 with the X-TC-Portal-Secret header and an
  Idempotency-Key (one UUID per run, reused on every retry, so the portal stores the run once).
  Network errors, timeouts, 408, 429 and 5xx are retried with back-off inside a total time cap;
  other answers (400/401/413/415) are never retried. A report that cannot be delivered is written
  to the spool folder and sent first, oldest first, the next time this script runs.

  The script ALWAYS ends with exit 0: monitoring must never break the job it watches
  (spec sections 1.3 and 9.1). Its own problems go to the console and to the log file
  tcportal-monitor.log beside the spool folder.

  Runs on Windows PowerShell 5.1 and PowerShell 7. This file is ASCII-only on purpose: Windows
  PowerShell 5.1 reads a file without BOM in the ANSI code page.

  Environment variables (process first, then machine level, spec section 4.1):
    TC_PORTAL_WEBHOOK_SECRET   required; the shared secret
    TC_PORTAL_BASE_URL         default https://tc-portal.vercel.app
    TC_PORTAL_SPOOL_DIR        default %ProgramData%\TcPortalMonitor\spool
    TC_PORTAL_TIMEOUT_SEC      one request, default 10
    TC_PORTAL_MAX_ATTEMPTS     tries per report, default 4
    TC_PORTAL_MAX_TOTAL_SEC    everything this script does on the network, default 60
    TC_PORTAL_SPOOL_MAX_FILES  spooled reports kept (oldest dropped first), default 500

.EXAMPLE
  .\tcportal-monitor.ps1 -TaskKey "daily_sync" -TaskName "..." -Kind "python" -Status "success" `
    -ExitCode 0 -StartedAt "2026-01-22T09:00:00Z" -FinishedAt "2026-01-22T09:05:30Z" -DurationMs 330000
#>
[CmdletBinding()]
param(
  [Parameter(Mandatory=$true)]  [string]$TaskKey,
  [Parameter(Mandatory=$true)]  [string]$TaskName,
  [Parameter(Mandatory=$true)]  [ValidateSet('bat','python')] [string]$Kind,
  [Parameter(Mandatory=$true)]  [ValidateSet('success','failed')] [string]$Status,
  [Parameter(Mandatory=$false)] [int]$ExitCode,
  [Parameter(Mandatory=$false)] [string]$Message,
  [Parameter(Mandatory=$false)] [string]$StartedAt,
  [Parameter(Mandatory=$false)] [string]$FinishedAt,
  [Parameter(Mandatory=$false)] [int]$DurationMs,
  [Parameter(Mandatory=$false)] [string]$LogUrl,
  [Parameter(Mandatory=$false)] [string]$MachineName = $env:COMPUTERNAME,
  # Additions to the spec's parameters:
  # one UUID per run; wrap-and-report.bat passes the one it made at the start of the run.
  [Parameter(Mandatory=$false)] [string]$IdempotencyKey,
  # overrides TC_PORTAL_SPOOL_DIR.
  [Parameter(Mandatory=$false)] [string]$SpoolDir,
  # when the run failed and -LogUrl is a readable file, its last lines are added to the message.
  [Parameter(Mandatory=$false)] [int]$LogTailLines = 0
)

$ErrorActionPreference = 'Stop'
# Inside a function $PSBoundParameters means the function's own; keep the script's.
$script:BoundParameters = $PSBoundParameters

$script:DefaultBaseUrl = 'https://tc-portal.vercel.app'
$script:MaxMessageChars = 65536       # the gateway's limit (UTF-16 code units, like .NET strings)
$script:TruncationMark = "...(truncated)`n"
$script:LogTailBytes = 65536          # a huge log costs nothing: only its end is read
$script:LogMaxBytes = 1048576         # then the client log moves to .1
$script:RejectedMaxFiles = 100
$script:LogFile = $null

function Write-MonitorLog {
  param([string]$Level, [string]$Text)
  $line = '[TC Portal] ' + $Text
  try { Write-Host $line } catch { }
  if ($script:LogFile) {
    try {
      $folder = Split-Path -Parent $script:LogFile
      if (-not (Test-Path -LiteralPath $folder)) { [void](New-Item -ItemType Directory -Path $folder -Force) }
      if ((Test-Path -LiteralPath $script:LogFile) -and ((Get-Item -LiteralPath $script:LogFile).Length -gt $script:LogMaxBytes)) {
        Move-Item -LiteralPath $script:LogFile -Destination ($script:LogFile + '.1') -Force
      }
      $stamp = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [Globalization.CultureInfo]::InvariantCulture)
      $entry = $stamp + ' ' + $Level + ' [ps1] ' + ($Text -replace "`r?`n", ' | ') + "`r`n"
      [System.IO.File]::AppendAllText($script:LogFile, $entry, (New-Object System.Text.UTF8Encoding($false)))
    } catch { }
  }
}

function Get-Setting {
  # Spec 4.1: the process environment first, then the machine environment (a scheduled task
  # started before the variable was set only sees it there).
  param([string]$Name)
  $value = [Environment]::GetEnvironmentVariable($Name, 'Process')
  if ([string]::IsNullOrWhiteSpace($value)) {
    try { $value = [Environment]::GetEnvironmentVariable($Name, 'Machine') } catch { $value = $null }
  }
  if ([string]::IsNullOrWhiteSpace($value)) { return $null }
  return $value.Trim()
}

function Get-NumberSetting {
  param([string]$Name, [double]$Default, [double]$Minimum)
  $text = Get-Setting $Name
  $number = 0.0
  if ($text -and [double]::TryParse($text, [Globalization.NumberStyles]::Float, [Globalization.CultureInfo]::InvariantCulture, [ref]$number)) {
    return [Math]::Max($Minimum, $number)
  }
  return $Default
}

function ConvertTo-JsonLiteral {
  # A JSON string literal; written by hand so 5.1 and 7 produce the same bytes.
  param([string]$Text)
  $builder = New-Object System.Text.StringBuilder ($Text.Length + 16)
  [void]$builder.Append('"')
  foreach ($ch in $Text.ToCharArray()) {
    $code = [int]$ch
    if ($code -eq 0x22) { [void]$builder.Append('\"') }
    elseif ($code -eq 0x5C) { [void]$builder.Append('\\') }
    elseif ($code -eq 0x0A) { [void]$builder.Append('\n') }
    elseif ($code -eq 0x0D) { [void]$builder.Append('\r') }
    elseif ($code -eq 0x09) { [void]$builder.Append('\t') }
    elseif ($code -lt 0x20) { [void]$builder.Append(('\u{0:x4}' -f $code)) }
    else { [void]$builder.Append($ch) }
  }
  [void]$builder.Append('"')
  return $builder.ToString()
}

function ConvertTo-JsonBody {
  param([System.Collections.Specialized.OrderedDictionary]$Fields)
  $parts = New-Object System.Collections.Generic.List[string]
  foreach ($name in $Fields.Keys) {
    $value = $Fields[$name]
    if ($value -is [int] -or $value -is [long]) {
      $json = $value.ToString([Globalization.CultureInfo]::InvariantCulture)
    } else {
      $json = ConvertTo-JsonLiteral ([string]$value)
    }
    $parts.Add((ConvertTo-JsonLiteral $name) + ':' + $json)
  }
  return '{' + ($parts -join ',') + '}'
}

function Limit-Message {
  # Keeps the tail, where a failing job's error is, within the gateway's limit.
  param([string]$Text)
  if ($Text.Length -le $script:MaxMessageChars) { return $Text }
  $keep = $script:MaxMessageChars - $script:TruncationMark.Length
  $start = $Text.Length - $keep
  if ([char]::IsLowSurrogate($Text[$start])) { $start++ }   # never cut a surrogate pair in half
  return $script:TruncationMark + $Text.Substring($start)
}

function Get-LogTail {
  param([string]$Path, [int]$Lines)
  try {
    if (-not $Path -or -not (Test-Path -LiteralPath $Path -PathType Leaf)) { return $null }
    $stream = New-Object System.IO.FileStream($Path, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, [System.IO.FileShare]::ReadWrite)
    try {
      $offset = [Math]::Max([long]0, $stream.Length - $script:LogTailBytes)
      [void]$stream.Seek($offset, [System.IO.SeekOrigin]::Begin)
      $buffer = New-Object byte[] ($stream.Length - $offset)
      $read = 0
      while ($read -lt $buffer.Length) {
        $n = $stream.Read($buffer, $read, $buffer.Length - $read)
        if ($n -le 0) { break }
        $read += $n
      }
    } finally { $stream.Dispose() }
    # Reading from the middle of the file: drop the first, partial line (it may start mid-character).
    $start = 0
    if ($offset -gt 0) {
      $newline = [Array]::IndexOf($buffer, [byte]10)
      if ($newline -ge 0 -and $newline -lt $read) { $start = $newline + 1 }
    }
    try {
      # Strict UTF-8 first (chcp 65001 output); else the console's code page (e.g. 932).
      $text = (New-Object System.Text.UTF8Encoding($false, $true)).GetString($buffer, $start, $read - $start)
    } catch {
      $text = [Console]::OutputEncoding.GetString($buffer, $start, $read - $start)
    }
    $all = New-Object System.Collections.Generic.List[string]
    $all.AddRange([string[]]($text -split "`r?`n"))
    while ($all.Count -gt 0 -and $all[$all.Count - 1] -eq '') { $all.RemoveAt($all.Count - 1) }
    if ($all.Count -eq 0) { return $null }
    $first = [Math]::Max(0, $all.Count - $Lines)
    return ($all.GetRange($first, $all.Count - $first) -join "`n")
  } catch {
    Write-MonitorLog 'WARN' ('could not read the end of ' + $Path + ': ' + $_.Exception.Message)
    return $null
  }
}

function Find-WebException {
  param($Exception)
  $current = $Exception
  while ($null -ne $current) {
    if ($current -is [System.Net.WebException]) { return $current }
    $current = $current.InnerException
  }
  return $null
}

function Send-ReportOnce {
  # One POST. Returns @{ Outcome = 'delivered'|'rejected'|'retry'; Status; Detail; RetryAfterSec; Answer }.
  param([string]$Url, [string]$Secret, [byte[]]$Body, [string]$Key, [int]$TimeoutMs)
  $response = $null
  try {
    $request = [System.Net.HttpWebRequest]([System.Net.WebRequest]::Create($Url))
    $request.Method = 'POST'
    $request.ContentType = 'application/json; charset=utf-8'
    $request.Accept = 'application/json'
    $request.UserAgent = 'tcportal-monitor.ps1/1.0'
    $request.Timeout = $TimeoutMs
    $request.ReadWriteTimeout = $TimeoutMs
    $request.AllowAutoRedirect = $false   # a redirect would turn the POST into a GET
    $request.Headers.Add('X-TC-Portal-Secret', $Secret)
    $request.Headers.Add('Idempotency-Key', $Key)
    $request.ContentLength = $Body.Length
    $stream = $request.GetRequestStream()
    try { $stream.Write($Body, 0, $Body.Length) } finally { $stream.Dispose() }
    $response = [System.Net.HttpWebResponse]$request.GetResponse()
  } catch {
    $web = Find-WebException $_.Exception
    if ($null -ne $web -and $null -ne $web.Response) {
      $response = [System.Net.HttpWebResponse]$web.Response
    } else {
      return @{ Outcome = 'retry'; Status = 0; Detail = ('network error: ' + $_.Exception.Message) }
    }
  }
  try {
    $status = [int]$response.StatusCode
    $retryAfter = $response.Headers['Retry-After']
    $reader = New-Object System.IO.StreamReader($response.GetResponseStream(), (New-Object System.Text.UTF8Encoding($false)))
    try { $text = $reader.ReadToEnd() } finally { $reader.Dispose() }
  } catch {
    return @{ Outcome = 'retry'; Status = 0; Detail = ('network error while reading the answer: ' + $_.Exception.Message) }
  } finally {
    $response.Close()
  }
  $answer = $null
  try { $answer = $text | ConvertFrom-Json } catch { $answer = $null }
  $errorText = $null
  if ($null -ne $answer -and $answer.PSObject.Properties['error']) { $errorText = [string]$answer.error }
  if (-not $errorText) { $errorText = $text }
  if ($status -ge 200 -and $status -lt 300) {
    if ($null -ne $answer -and $answer.PSObject.Properties['ok'] -and $answer.ok -eq $true) {
      return @{ Outcome = 'delivered'; Status = $status; Detail = 'ok'; Answer = $answer }
    }
    return @{ Outcome = 'rejected'; Status = $status; Detail = ('unexpected answer: ' + $text) }
  }
  $detail = 'HTTP ' + $status + ': ' + $errorText
  if ($status -eq 408 -or $status -eq 429 -or $status -ge 500) {
    $seconds = 0
    $after = $null
    if ($retryAfter -and [int]::TryParse($retryAfter.Trim(), [ref]$seconds)) { $after = $seconds }
    return @{ Outcome = 'retry'; Status = $status; Detail = $detail; RetryAfterSec = $after }
  }
  return @{ Outcome = 'rejected'; Status = $status; Detail = $detail }
}

function Send-ReportWithRetries {
  param($Settings, [byte[]]$Body, [string]$Key, [DateTime]$Deadline)
  $attempt = 0
  while ($true) {
    $attempt++
    $remainingMs = ($Deadline - [DateTime]::UtcNow).TotalMilliseconds
    if ($remainingMs -lt 200) {
      return @{ Outcome = 'unreachable'; Detail = ('time limit reached before attempt ' + $attempt) }
    }
    $timeoutMs = [int][Math]::Min($Settings.TimeoutSec * 1000, $remainingMs)
    $result = Send-ReportOnce -Url $Settings.ReportUrl -Secret $Settings.Secret -Body $Body -Key $Key -TimeoutMs $timeoutMs
    if ($result.Outcome -ne 'retry') { return $result }
    if ($attempt -ge $Settings.MaxAttempts) {
      return @{ Outcome = 'unreachable'; Detail = ([string]$attempt + ' attempts failed, last: ' + $result.Detail) }
    }
    $delayMs = [Math]::Min(8000, 1000 * [Math]::Pow(2, $attempt - 1)) * (0.5 + (Get-Random -Minimum 0.0 -Maximum 0.5))
    if ($null -ne $result.RetryAfterSec) { $delayMs = [Math]::Max($delayMs, 1000 * $result.RetryAfterSec) }
    if ([DateTime]::UtcNow.AddMilliseconds($delayMs) -ge $Deadline) {
      return @{ Outcome = 'unreachable'; Detail = ('time limit reached, last: ' + $result.Detail) }
    }
    Write-MonitorLog 'WARN' ('attempt ' + $attempt + ' failed (' + $result.Detail + '); retrying in ' + [Math]::Round($delayMs / 1000, 1) + 's')
    Start-Sleep -Milliseconds ([int]$delayMs)
  }
}

function Get-SpooledReports {
  # Oldest first: names start with the UTC time they were spooled.
  param([string]$Folder)
  if (-not (Test-Path -LiteralPath $Folder -PathType Container)) { return @() }
  $pattern = '^\d{8}T\d{13}Z-([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.json$'
  $found = @()
  foreach ($file in @(Get-ChildItem -LiteralPath $Folder -File | Sort-Object Name)) {
    if ($file.Name -match $pattern) {
      $found += New-Object PSObject -Property @{ Path = $file.FullName; Name = $file.Name; Key = $Matches[1].ToLowerInvariant() }
    }
  }
  return $found
}

function Add-SpooledReport {
  # Same format as the Python client: the exact body, named <UTC time>Z-<key>.json; written to a
  # temporary name first so a reader never sees half a file.
  param($Settings, [byte[]]$Body, [string]$Key)
  if (-not (Test-Path -LiteralPath $Settings.SpoolDir -PathType Container)) {
    [void](New-Item -ItemType Directory -Path $Settings.SpoolDir -Force)
  }
  $name = [DateTime]::UtcNow.ToString('yyyyMMddTHHmmssfffffff', [Globalization.CultureInfo]::InvariantCulture) + 'Z-' + $Key + '.json'
  $target = Join-Path $Settings.SpoolDir $name
  $partial = $target + '.' + [guid]::NewGuid().ToString('N') + '.partial'
  [System.IO.File]::WriteAllBytes($partial, $Body)
  [System.IO.File]::Move($partial, $target)
  $queued = @(Get-SpooledReports $Settings.SpoolDir)
  $excess = $queued.Count - $Settings.SpoolMaxFiles
  for ($i = 0; $i -lt $excess; $i++) {
    Remove-Item -LiteralPath $queued[$i].Path -Force -ErrorAction SilentlyContinue
    Write-MonitorLog 'WARN' ('spool is full (' + $Settings.SpoolMaxFiles + ' reports): dropped the oldest, ' + $queued[$i].Name)
  }
  return $target
}

function Move-RejectedReport {
  param($Report)
  try {
    $folder = Join-Path (Split-Path -Parent $Report.Path) 'rejected'
    if (-not (Test-Path -LiteralPath $folder)) { [void](New-Item -ItemType Directory -Path $folder -Force) }
    Move-Item -LiteralPath $Report.Path -Destination (Join-Path $folder $Report.Name) -Force
    $kept = @(Get-ChildItem -LiteralPath $folder -File | Sort-Object Name)
    for ($i = 0; $i -lt ($kept.Count - $script:RejectedMaxFiles); $i++) {
      Remove-Item -LiteralPath $kept[$i].FullName -Force -ErrorAction SilentlyContinue
    }
  } catch {
    Remove-Item -LiteralPath $Report.Path -Force -ErrorAction SilentlyContinue
  }
}

function Send-SpooledReports {
  # Returns $true when nothing is left waiting (the portal is reachable).
  param($Settings, [DateTime]$Deadline)
  foreach ($report in @(Get-SpooledReports $Settings.SpoolDir)) {
    try { $body = [System.IO.File]::ReadAllBytes($report.Path) } catch { continue }  # another job delivered it
    $result = Send-ReportWithRetries -Settings $Settings -Body $body -Key $report.Key -Deadline $Deadline
    if ($result.Outcome -eq 'delivered') {
      Remove-Item -LiteralPath $report.Path -Force -ErrorAction SilentlyContinue
      Write-MonitorLog 'INFO' ('delivered spooled report ' + $report.Name)
    } elseif ($result.Outcome -eq 'rejected' -and $result.Status -eq 401) {
      Write-MonitorLog 'ERROR' ('spooled reports kept: the portal refused the secret (' + $result.Detail + ')')
      return $false
    } elseif ($result.Outcome -eq 'rejected') {
      Move-RejectedReport $report
      Write-MonitorLog 'ERROR' ('spooled report ' + $report.Name + ' refused, moved aside: ' + $result.Detail)
    } else {
      Write-MonitorLog 'WARN' ('portal still unreachable (' + $result.Detail + '); spool kept')
      return $false
    }
  }
  return $true
}

function Invoke-Report {
  $spool = $SpoolDir
  if (-not $spool) { $spool = Get-Setting 'TC_PORTAL_SPOOL_DIR' }
  if (-not $spool) {
    $programData = $env:ProgramData
    if (-not $programData) { $programData = [System.IO.Path]::GetTempPath() }
    $spool = Join-Path (Join-Path $programData 'TcPortalMonitor') 'spool'
  }
  $script:LogFile = Join-Path (Split-Path -Parent $spool) 'tcportal-monitor.log'

  $baseUrl = Get-Setting 'TC_PORTAL_BASE_URL'
  if (-not $baseUrl) { $baseUrl = $script:DefaultBaseUrl }
  $settings = New-Object PSObject -Property @{
    Secret        = Get-Setting 'TC_PORTAL_WEBHOOK_SECRET'
    ReportUrl     = $baseUrl.TrimEnd('/') + '/api/monitor/report'
    SpoolDir      = $spool
    TimeoutSec    = Get-NumberSetting 'TC_PORTAL_TIMEOUT_SEC' 10 0.5
    MaxAttempts   = [int](Get-NumberSetting 'TC_PORTAL_MAX_ATTEMPTS' 4 1)
    MaxTotalSec   = Get-NumberSetting 'TC_PORTAL_MAX_TOTAL_SEC' 60 1
    SpoolMaxFiles = [int](Get-NumberSetting 'TC_PORTAL_SPOOL_MAX_FILES' 500 1)
  }
  if (-not $settings.Secret) {
    Write-MonitorLog 'WARN' 'TC_PORTAL_WEBHOOK_SECRET is not set; report skipped'
    return
  }

  if ($PSVersionTable.PSVersion.Major -lt 6) {
    # Windows PowerShell 5.1 on .NET Framework may still offer only TLS 1.0/1.1 by default.
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
  }
  [Net.ServicePointManager]::Expect100Continue = $false

  $key = $null
  $parsed = [guid]::Empty
  if ($IdempotencyKey -and [guid]::TryParse($IdempotencyKey, [ref]$parsed)) {
    $key = $parsed.ToString()
  } else {
    if ($IdempotencyKey) { Write-MonitorLog 'WARN' ('-IdempotencyKey "' + $IdempotencyKey + '" is not a UUID; using a new one') }
    $key = [guid]::NewGuid().ToString()
  }

  $text = $Message
  if ($LogTailLines -gt 0 -and $Status -eq 'failed' -and $LogUrl) {
    $tail = Get-LogTail -Path $LogUrl -Lines $LogTailLines
    if ($tail) {
      $header = '--- last lines of ' + $LogUrl + ' ---'
      if ($text) { $text = $text + "`n" + $header + "`n" + $tail } else { $text = $header + "`n" + $tail }
    }
  }

  # PostgreSQL cannot store NUL in text; the gateway refuses it, so it never leaves the client.
  $nul = [string][char]0
  $fields = New-Object System.Collections.Specialized.OrderedDictionary
  $fields['task_key'] = $TaskKey.Replace($nul, '')
  $fields['task_name'] = $TaskName.Replace($nul, '')
  $fields['kind'] = $Kind
  $fields['status'] = $Status
  if ($MachineName) { $fields['machine_name'] = $MachineName.Replace($nul, '') }
  if ($text) { $fields['message'] = Limit-Message ($text.Replace($nul, '')) }
  if ($script:BoundParameters.ContainsKey('ExitCode')) { $fields['exit_code'] = $ExitCode }
  if ($StartedAt) { $fields['started_at'] = $StartedAt.Trim() }
  if ($FinishedAt) { $fields['finished_at'] = $FinishedAt.Trim() }
  if ($script:BoundParameters.ContainsKey('DurationMs')) { $fields['duration_ms'] = [Math]::Max(0, $DurationMs) }
  if ($LogUrl) { $fields['log_url'] = $LogUrl.Replace($nul, '') }
  $body = (New-Object System.Text.UTF8Encoding($false)).GetBytes((ConvertTo-JsonBody $fields))

  $deadline = [DateTime]::UtcNow.AddSeconds($settings.MaxTotalSec)
  if (Send-SpooledReports -Settings $settings -Deadline $deadline) {
    $result = Send-ReportWithRetries -Settings $settings -Body $body -Key $key -Deadline $deadline
  } else {
    $result = @{ Outcome = 'unreachable'; Detail = 'earlier reports are still waiting in the spool' }
  }

  if ($result.Outcome -eq 'delivered') {
    Write-MonitorLog 'INFO' ('report delivered: ' + $Status + ' (monitor_id=' + $result.Answer.monitor_id + ', key=' + $key + ')')
  } elseif ($result.Outcome -eq 'rejected') {
    Write-MonitorLog 'ERROR' ('report refused: ' + $result.Detail)
  } else {
    $path = Add-SpooledReport -Settings $settings -Body $body -Key $key
    Write-MonitorLog 'WARN' ('report not delivered (' + $result.Detail + '); spooled as ' + $path)
  }
}

try {
  Invoke-Report
} catch {
  Write-MonitorLog 'ERROR' ('unexpected error: ' + $_.Exception.Message)
}
# Always 0: a monitoring failure must never fail the job (spec 4.1 and 9.1).
exit 0
