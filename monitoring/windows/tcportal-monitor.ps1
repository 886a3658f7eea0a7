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
  tcportal-monitor.log beside the spool folder. For that reason the parameters are not declared
  in a param() block: PowerShell binds those before any line of the script runs, and a binding
  error (a task name that starts with "-", an -ExitCode that is not a number, a missing value)
  would end it with exit code 1 outside every try/catch. The script reads the same parameters
  (spec section 4.1, see $script:ParameterSpec) from $args itself, inside its try/catch.

  A 3xx answer (http:// behind an https:// redirect, a proxy's login page) and a server
  certificate that is not trusted are not retried but spooled, with a log line that says so.
  A spooled report the portal keeps answering 5xx for while it accepts others is set aside in
  spool\stuck after TC_PORTAL_SPOOL_MAX_FAILURES runs, so it cannot block the spool for ever.
  The spool, its rejected and stuck folders and the log are never used through a junction or
  symbolic link (reparse point), and only files named like spooled reports are ever deleted.

  Runs on Windows PowerShell 5.1 and PowerShell 7. This file is ASCII-only on purpose: Windows
  PowerShell 5.1 reads a file without BOM in the ANSI code page.

  Environment variables (process first, then machine level, spec section 4.1):
    TC_PORTAL_WEBHOOK_SECRET   required; the shared secret
    TC_PORTAL_BASE_URL         required; no default (a missing URL is logged, the report spooled)
    TC_PORTAL_SPOOL_DIR        default %ProgramData%\TcPortalMonitor\spool
    TC_PORTAL_TIMEOUT_SEC      one request, default 10
    TC_PORTAL_MAX_ATTEMPTS     tries per report, default 4
    TC_PORTAL_MAX_TOTAL_SEC    everything this script does on the network, default 60
    TC_PORTAL_SPOOL_MAX_FILES  spooled reports kept (oldest dropped first), default 500
    TC_PORTAL_SPOOL_MAX_FAILURES  runs a spooled report may fail with 5xx while others pass, default 5
  HTTPS: the server certificate is checked against the Windows certificate store; import the
  company CA into LocalMachine\Root (Import-Certificate / certutil -addstore Root).

.EXAMPLE
  .\tcportal-monitor.ps1 -TaskKey "daily_sync" -TaskName "..." -Kind "python" -Status "success" `
    -ExitCode 0 -StartedAt "2026-01-22T09:00:00Z" -FinishedAt "2026-01-22T09:05:30Z" -DurationMs 330000
#>
# The parameters of spec section 4.1 (plus -IdempotencyKey, -SpoolDir, -LogTailLines), read from
# $args by Read-Arguments. Type: string or int; Mandatory; Values: the allowed values.
$script:ParameterSpec = @(
  @{ Name = 'TaskKey';        Type = 'string'; Mandatory = $true }
  @{ Name = 'TaskName';       Type = 'string'; Mandatory = $true }
  @{ Name = 'Kind';           Type = 'string'; Mandatory = $true; Values = @('bat', 'python') }
  @{ Name = 'Status';         Type = 'string'; Mandatory = $true; Values = @('success', 'failed') }
  @{ Name = 'ExitCode';       Type = 'int';    Mandatory = $false }
  @{ Name = 'Message';        Type = 'string'; Mandatory = $false }
  @{ Name = 'StartedAt';      Type = 'string'; Mandatory = $false }
  @{ Name = 'FinishedAt';     Type = 'string'; Mandatory = $false }
  @{ Name = 'DurationMs';     Type = 'int';    Mandatory = $false }
  @{ Name = 'LogUrl';         Type = 'string'; Mandatory = $false }
  @{ Name = 'MachineName';    Type = 'string'; Mandatory = $false; Default = 'env:COMPUTERNAME' }
  @{ Name = 'IdempotencyKey'; Type = 'string'; Mandatory = $false }
  @{ Name = 'SpoolDir';       Type = 'string'; Mandatory = $false }
  @{ Name = 'LogTailLines';   Type = 'int';    Mandatory = $false }
)
$script:Arguments = $args

$ErrorActionPreference = 'Stop'
$script:BoundParameters = @{}
$script:Suspects = @()
$script:MaxMessageChars = 65536       # the gateway's limit (UTF-16 code units, like .NET strings)
$script:TruncationMark = "...(truncated)`n"
$script:LogTailBytes = 65536          # a huge log costs nothing: only its end is read
$script:LogMaxBytes = 1048576         # then the client log moves to .1
$script:AsideMaxFiles = 100           # kept in spool\rejected and spool\stuck each
$script:LogFile = $null
$script:SpoolPattern = '^(\d{8}T\d{13}Z)-([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:\.f(\d{1,4}))?\.json$'
$script:CertificateHelp = 'import the company CA into LocalMachine\Root (Import-Certificate -CertStoreLocation Cert:\LocalMachine\Root / certutil -addstore Root)'

function Read-Arguments {
  # Binds $args to $script:ParameterSpec like PowerShell would, but inside the script's try/catch:
  # the value after -Name is taken as it is, even when it starts with "-". Returns the problems.
  param([object[]]$Tokens)
  $problems = New-Object System.Collections.Generic.List[string]
  $i = 0
  while ($i -lt $Tokens.Count) {
    $token = [string]$Tokens[$i]
    $i++
    $value = $null
    $hasValue = $false
    if ($token -match '^-([A-Za-z]+):(.*)$') {
      $token = '-' + $Matches[1]
      if ($Matches[2] -ne '') { $value = $Matches[2]; $hasValue = $true }
    }
    $spec = $null
    if ($token.StartsWith('-')) {
      foreach ($candidate in $script:ParameterSpec) {
        if ($candidate.Name -ieq $token.Substring(1)) { $spec = $candidate }
      }
    }
    if ($null -eq $spec) {
      $problems.Add('unknown argument "' + $token + '" ignored')
      continue
    }
    if (-not $hasValue) {
      if ($i -ge $Tokens.Count) {
        $problems.Add('-' + $spec.Name + ' has no value')
        continue
      }
      $value = [string]$Tokens[$i]
      $i++
    }
    if ($spec.Type -eq 'int') {
      $number = 0
      if (-not [int]::TryParse($value.Trim(), [Globalization.NumberStyles]::Integer, [Globalization.CultureInfo]::InvariantCulture, [ref]$number)) {
        $problems.Add('-' + $spec.Name + ' "' + $value + '" is not a whole number; left out')
        continue
      }
      $value = $number
    } elseif ($spec.Values) {
      $canonical = @($spec.Values | Where-Object { $_ -ieq $value })
      if ($canonical.Count -eq 0) {
        $problems.Add('-' + $spec.Name + ' "' + $value + '" is not one of ' + ($spec.Values -join ', '))
        continue
      }
      $value = $canonical[0]
    }
    $script:BoundParameters[$spec.Name] = $value
  }
  foreach ($spec in $script:ParameterSpec) {
    if ($spec.Mandatory -and -not $script:BoundParameters.ContainsKey($spec.Name)) {
      $problems.Add('-' + $spec.Name + ' is required')
    }
  }
  return ,$problems
}

function Get-Argument {
  param([string]$Name)
  if ($script:BoundParameters.ContainsKey($Name)) { return $script:BoundParameters[$Name] }
  return $null
}

function Test-ReparsePoint {
  # A junction or symbolic link could point the spool, its cleanup or the log at any folder.
  param([string]$Path)
  try {
    $item = Get-Item -LiteralPath $Path -Force -ErrorAction Stop
    return [bool]($item.Attributes -band [System.IO.FileAttributes]::ReparsePoint)
  } catch {
    return $false   # not there (yet): nothing to follow
  }
}

function Get-SpoolRefusal {
  param([string]$Folder)
  foreach ($candidate in @((Split-Path -Parent $Folder), $Folder, (Join-Path $Folder 'rejected'), (Join-Path $Folder 'stuck'))) {
    if ($candidate -and (Test-ReparsePoint $candidate)) {
      return ($candidate + ' is a junction or symbolic link (reparse point); the spool is not used')
    }
  }
  return $null
}

function Write-MonitorLog {
  param([string]$Level, [string]$Text)
  $line = '[TC Portal] ' + $Text
  try { Write-Host $line } catch { }
  if ($script:LogFile) {
    try {
      $folder = Split-Path -Parent $script:LogFile
      if ((Test-ReparsePoint $folder) -or (Test-ReparsePoint $script:LogFile) -or (Test-ReparsePoint ($script:LogFile + '.1'))) {
        try { Write-Host ('[TC Portal] the log ' + $script:LogFile + ' is behind a junction or symbolic link; not written') } catch { }
        return
      }
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

function Test-CertificateFailure {
  # 5.1: WebException TrustFailure; 7: an AuthenticationException inside (HttpClient underneath).
  param($Exception)
  $current = $Exception
  while ($null -ne $current) {
    if ($current -is [System.Net.WebException] -and $current.Status -eq [System.Net.WebExceptionStatus]::TrustFailure) { return $true }
    if ($current -is [System.Security.Authentication.AuthenticationException]) { return $true }
    $current = $current.InnerException
  }
  return $false
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
    } elseif (Test-CertificateFailure $_.Exception) {
      # Not worth retrying now: it needs the CA imported. Kept in the spool until then.
      return @{ Outcome = 'unreachable'; Status = 0; Detail = ("the server's TLS certificate is not trusted (" + $_.Exception.Message + '): ' + $script:CertificateHelp) }
    } else {
      return @{ Outcome = 'retry'; Status = 0; Detail = ('network error: ' + $_.Exception.Message) }
    }
  }
  try {
    $status = [int]$response.StatusCode
    $retryAfter = $response.Headers['Retry-After']
    $location = $response.Headers['Location']
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
  if ($status -eq 407) {
    return @{ Outcome = 'unreachable'; Status = $status; Detail = 'HTTP 407 from the proxy: set the proxy for the task''s account; report kept' }
  }
  if ($status -ge 300 -and $status -lt 400) {
    # A redirect would turn the POST into a GET; never follow it, never drop the report either.
    return @{ Outcome = 'unreachable'; Status = $status; Detail = ('HTTP ' + $status + ' redirect to ' + $location + ': check TC_PORTAL_BASE_URL (https://? a proxy?); report kept') }
  }
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
      return @{ Outcome = 'unreachable'; Status = $result.Status; Detail = ([string]$attempt + ' attempts failed, last: ' + $result.Detail) }
    }
    $delayMs = [Math]::Min(8000, 1000 * [Math]::Pow(2, $attempt - 1)) * (0.5 + (Get-Random -Minimum 0.0 -Maximum 0.5))
    if ($null -ne $result.RetryAfterSec) { $delayMs = [Math]::Max($delayMs, 1000 * $result.RetryAfterSec) }
    if ([DateTime]::UtcNow.AddMilliseconds($delayMs) -ge $Deadline) {
      return @{ Outcome = 'unreachable'; Status = $result.Status; Detail = ('time limit reached, last: ' + $result.Detail) }
    }
    Write-MonitorLog 'WARN' ('attempt ' + $attempt + ' failed (' + $result.Detail + '); retrying in ' + [Math]::Round($delayMs / 1000, 1) + 's')
    Start-Sleep -Milliseconds ([int]$delayMs)
  }
}

function Get-OwnSpoolFiles {
  # Plain files (never links) named like spooled reports, oldest first: names start with the UTC
  # time they were spooled. Nothing else in these folders is ever read, moved or deleted.
  param([string]$Folder)
  if (-not (Test-Path -LiteralPath $Folder -PathType Container)) { return @() }
  $found = @()
  foreach ($file in @(Get-ChildItem -LiteralPath $Folder -File -Force | Sort-Object Name)) {
    if ($file.Attributes -band [System.IO.FileAttributes]::ReparsePoint) { continue }
    if ($file.Name -match $script:SpoolPattern) {
      $failures = 0
      if ($Matches[3]) { $failures = [int]$Matches[3] }
      $found += New-Object PSObject -Property @{ Path = $file.FullName; Name = $file.Name; Stamp = $Matches[1]; Key = $Matches[2].ToLowerInvariant(); Failures = $failures }
    }
  }
  return $found
}

function Get-SpooledReports {
  param([string]$Folder)
  if (Get-SpoolRefusal $Folder) { return @() }
  return @(Get-OwnSpoolFiles $Folder)
}

function Add-SpooledReport {
  # Same format as the Python client: the exact body, named <UTC time>Z-<key>.json; written to a
  # temporary name first so a reader never sees half a file.
  param($Settings, [byte[]]$Body, [string]$Key)
  $refusal = Get-SpoolRefusal $Settings.SpoolDir
  if ($refusal) { throw $refusal }
  if (-not (Test-Path -LiteralPath $Settings.SpoolDir -PathType Container)) {
    [void](New-Item -ItemType Directory -Path $Settings.SpoolDir -Force)
  }
  $refusal = Get-SpoolRefusal $Settings.SpoolDir
  if ($refusal) { throw $refusal }
  $name = [DateTime]::UtcNow.ToString('yyyyMMddTHHmmssfffffff', [Globalization.CultureInfo]::InvariantCulture) + 'Z-' + $Key + '.json'
  $target = Join-Path $Settings.SpoolDir $name
  $partial = $target + '.' + [guid]::NewGuid().ToString('N') + '.partial'
  # CreateNew: never write through a link someone placed under the temporary name.
  $stream = New-Object System.IO.FileStream($partial, [System.IO.FileMode]::CreateNew, [System.IO.FileAccess]::Write)
  try { $stream.Write($Body, 0, $Body.Length) } finally { $stream.Dispose() }
  [System.IO.File]::Move($partial, $target)
  $queued = @(Get-SpooledReports $Settings.SpoolDir)
  $excess = $queued.Count - $Settings.SpoolMaxFiles
  for ($i = 0; $i -lt $excess; $i++) {
    Remove-Item -LiteralPath $queued[$i].Path -Force -ErrorAction SilentlyContinue
    Write-MonitorLog 'WARN' ('spool is full (' + $Settings.SpoolMaxFiles + ' reports): dropped the oldest, ' + $queued[$i].Name)
  }
  return $target
}

function Move-SpoolFileAside {
  # Into spool\rejected or spool\stuck; only the spool's own files there are ever deleted.
  param($Report, [string]$FolderName)
  try {
    $folder = Join-Path (Split-Path -Parent $Report.Path) $FolderName
    if (-not (Test-Path -LiteralPath $folder)) { [void](New-Item -ItemType Directory -Path $folder -Force) }
    if (Test-ReparsePoint $folder) { throw ($folder + ' is a junction or symbolic link (reparse point)') }
    Move-Item -LiteralPath $Report.Path -Destination (Join-Path $folder $Report.Name) -Force
    $kept = @(Get-OwnSpoolFiles $folder)
    for ($i = 0; $i -lt ($kept.Count - $script:AsideMaxFiles); $i++) {
      Remove-Item -LiteralPath $kept[$i].Path -Force -ErrorAction SilentlyContinue
    }
    return $true
  } catch {
    Write-MonitorLog 'WARN' ('could not move ' + $Report.Name + ' aside: ' + $_.Exception.Message)
    return $false
  }
}

function Move-RejectedReport {
  param($Report)
  if (-not (Move-SpoolFileAside $Report 'rejected')) {
    Remove-Item -LiteralPath $Report.Path -Force -ErrorAction SilentlyContinue   # never re-sent either way
  }
}

function Add-SpoolFailure {
  # One more run in which the portal failed on this report while it accepted others.
  param($Settings, $Report)
  $failures = $Report.Failures + 1
  $name = $Report.Stamp + '-' + $Report.Key + '.f' + $failures + '.json'
  $renamed = Join-Path (Split-Path -Parent $Report.Path) $name
  try { [System.IO.File]::Move($Report.Path, $renamed) } catch { return }   # delivered meanwhile
  $counted = New-Object PSObject -Property @{ Path = $renamed; Name = $name; Stamp = $Report.Stamp; Key = $Report.Key; Failures = $failures }
  if ($failures -ge $Settings.SpoolMaxFailures -and (Move-SpoolFileAside $counted 'stuck')) {
    Write-MonitorLog 'ERROR' ('spooled report ' + $name + ' failed in ' + $failures + ' runs while others were accepted; set aside in ' + (Join-Path $Settings.SpoolDir 'stuck'))
  }
}

function Confirm-PortalAccepted {
  # A suspect (a spooled report the portal answered 5xx for) counts a failure only once the portal
  # accepted a later report in the same run: then the report, not the portal, is the problem.
  param($Settings)
  foreach ($suspect in @($script:Suspects)) { Add-SpoolFailure $Settings $suspect }
  $script:Suspects = @()
}

function Send-SpooledReports {
  # Returns $true when nothing is left waiting (the portal is reachable).
  param($Settings, [DateTime]$Deadline)
  $script:Suspects = @()
  $refusal = Get-SpoolRefusal $Settings.SpoolDir
  if ($refusal) {
    Write-MonitorLog 'ERROR' $refusal
    return $true
  }
  foreach ($report in @(Get-SpooledReports $Settings.SpoolDir)) {
    try { $body = [System.IO.File]::ReadAllBytes($report.Path) } catch { continue }  # another job delivered it
    $result = Send-ReportWithRetries -Settings $Settings -Body $body -Key $report.Key -Deadline $Deadline
    if ($result.Outcome -eq 'delivered') {
      Remove-Item -LiteralPath $report.Path -Force -ErrorAction SilentlyContinue
      Write-MonitorLog 'INFO' ('delivered spooled report ' + $report.Name)
      Confirm-PortalAccepted $Settings
    } elseif ($result.Outcome -eq 'rejected' -and $result.Status -eq 401) {
      Write-MonitorLog 'ERROR' ('spooled reports kept: the portal refused the secret (' + $result.Detail + ')')
      return $false
    } elseif ($result.Outcome -eq 'rejected') {
      Move-RejectedReport $report
      Write-MonitorLog 'ERROR' ('spooled report ' + $report.Name + ' refused, moved aside: ' + $result.Detail)
    } elseif ($result.Status -ge 500 -and @($script:Suspects).Count -eq 0) {
      $script:Suspects = @($report)
      Write-MonitorLog 'WARN' ('spooled report ' + $report.Name + ' failed (' + $result.Detail + '); trying the next')
    } else {
      Write-MonitorLog 'WARN' ('portal still unreachable (' + $result.Detail + '); spool kept')
      return $false
    }
  }
  return $true
}

function Invoke-Report {
  $problems = Read-Arguments $script:Arguments
  $TaskKey = Get-Argument 'TaskKey'
  $TaskName = Get-Argument 'TaskName'
  $Kind = Get-Argument 'Kind'
  $Status = Get-Argument 'Status'
  $ExitCode = Get-Argument 'ExitCode'
  $Message = Get-Argument 'Message'
  $StartedAt = Get-Argument 'StartedAt'
  $FinishedAt = Get-Argument 'FinishedAt'
  $DurationMs = Get-Argument 'DurationMs'
  $LogUrl = Get-Argument 'LogUrl'
  $MachineName = $env:COMPUTERNAME
  if ($script:BoundParameters.ContainsKey('MachineName')) { $MachineName = Get-Argument 'MachineName' }
  $IdempotencyKey = Get-Argument 'IdempotencyKey'
  $SpoolDir = Get-Argument 'SpoolDir'
  $LogTailLines = 0
  if ($script:BoundParameters.ContainsKey('LogTailLines')) { $LogTailLines = Get-Argument 'LogTailLines' }

  $spool = $SpoolDir
  if (-not $spool) { $spool = Get-Setting 'TC_PORTAL_SPOOL_DIR' }
  if (-not $spool) {
    $programData = $env:ProgramData
    if (-not $programData) { $programData = [System.IO.Path]::GetTempPath() }
    $spool = Join-Path (Join-Path $programData 'TcPortalMonitor') 'spool'
  }
  $script:LogFile = Join-Path (Split-Path -Parent $spool) 'tcportal-monitor.log'

  foreach ($problem in $problems) { Write-MonitorLog 'WARN' ('argument: ' + $problem) }
  foreach ($name in @('TaskKey', 'TaskName', 'Kind', 'Status')) {
    if (-not $script:BoundParameters.ContainsKey($name)) {
      Write-MonitorLog 'ERROR' ('report not sent: -' + $name + ' is missing or not valid (arguments: ' + ($script:Arguments -join ' ') + ')')
      return
    }
  }

  # No default: a missing or misspelt variable must never send the fleet secret to another host.
  $baseUrl = Get-Setting 'TC_PORTAL_BASE_URL'
  $reportUrl = $null
  if ($baseUrl) { $reportUrl = $baseUrl.TrimEnd('/') + '/api/monitor/report' }
  $settings = New-Object PSObject -Property @{
    Secret        = Get-Setting 'TC_PORTAL_WEBHOOK_SECRET'
    ReportUrl     = $reportUrl
    SpoolDir      = $spool
    TimeoutSec    = Get-NumberSetting 'TC_PORTAL_TIMEOUT_SEC' 10 0.5
    MaxAttempts   = [int](Get-NumberSetting 'TC_PORTAL_MAX_ATTEMPTS' 4 1)
    MaxTotalSec   = Get-NumberSetting 'TC_PORTAL_MAX_TOTAL_SEC' 60 1
    SpoolMaxFiles = [int](Get-NumberSetting 'TC_PORTAL_SPOOL_MAX_FILES' 500 1)
    SpoolMaxFailures = [int](Get-NumberSetting 'TC_PORTAL_SPOOL_MAX_FAILURES' 5 1)
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
  if ($script:BoundParameters.ContainsKey('ExitCode')) { $fields['exit_code'] = [int]$ExitCode }
  if ($StartedAt) { $fields['started_at'] = $StartedAt.Trim() }
  if ($FinishedAt) { $fields['finished_at'] = $FinishedAt.Trim() }
  if ($script:BoundParameters.ContainsKey('DurationMs')) { $fields['duration_ms'] = [int][Math]::Max(0, [int]$DurationMs) }
  if ($LogUrl) { $fields['log_url'] = $LogUrl.Replace($nul, '') }
  $body = (New-Object System.Text.UTF8Encoding($false)).GetBytes((ConvertTo-JsonBody $fields))

  $deadline = [DateTime]::UtcNow.AddSeconds($settings.MaxTotalSec)
  if (-not $settings.ReportUrl) {
    $result = @{ Outcome = 'unreachable'; Detail = 'TC_PORTAL_BASE_URL is not set: nothing sent, report kept in the spool' }
    Write-MonitorLog 'ERROR' $result.Detail
  } elseif (Send-SpooledReports -Settings $settings -Deadline $deadline) {
    $result = Send-ReportWithRetries -Settings $settings -Body $body -Key $key -Deadline $deadline
    if ($result.Outcome -eq 'delivered') { Confirm-PortalAccepted $settings }
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
