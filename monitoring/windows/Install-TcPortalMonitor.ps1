<#
.SYNOPSIS
  Installs the TC Portal Monitor clients on one Windows PC and wraps chosen scheduled tasks.

.DESCRIPTION
  Run as administrator, from the monitoring\windows folder of a release (the Python client is
  looked for in ..\python). Steps, each printed as a "PLAN:" line before it is done:
    1. copy tcportal-monitor.ps1, wrap-and-report.bat and the Python client to -InstallDir;
    2. optionally sign the copied .ps1 with a code-signing certificate (-SigningThumbprint), for
       PCs where Group Policy enforces AllSigned or RemoteSigned;
    3. create -DataDir (the spool's parent) with an ACL writable only by Administrators, SYSTEM
       and the account the tasks run as (-TaskAccount), without inherited rights, so no other
       local user can plant a junction in the spool;
    4. set the machine variables TC_PORTAL_BASE_URL, TC_PORTAL_WEBHOOK_SECRET (read from
       -SecretFile or asked for; never printed) and TC_PORTAL_SPOOL_DIR;
    5. import the company CA (-CaFile) into Cert:\LocalMachine\Root;
    6. wrap the chosen tasks (-Task '\Folder\Name', Unicode names as they are) through the
       ScheduledTasks module: a BAT action runs through wrap-and-report.bat, a Python action
       through tcportal-run.py. Each task's original actions are first saved to
       <DataDir>\task-backup\ (JSON, UTF-8); its working directory ("Start in") is kept.
  -WhatIf (or -DryRun) prints every PLAN line and changes nothing. -Uninstall restores every
  backed-up task to its original actions (the copied files and variables are left in place).

  This file is ASCII-only on purpose (Windows PowerShell 5.1 reads a file without BOM in the ANSI
  code page); task names come from Task Scheduler itself, never from text in this file.

.EXAMPLE
  .\Install-TcPortalMonitor.ps1 -BaseUrl https://portal.example.co.jp -SecretFile C:\secret.txt `
    -CaFile C:\company-ca.cer -TaskAccount 'CORP\svc_batch' -Task '\Batch\nightly_import' -WhatIf

.EXAMPLE
  .\Install-TcPortalMonitor.ps1 -Uninstall
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
  [string]$InstallDir = (Join-Path $env:ProgramFiles 'TcPortalMonitor'),
  [string]$DataDir = (Join-Path $env:ProgramData 'TcPortalMonitor'),
  [string]$BaseUrl,
  [string]$SecretFile,
  [string]$CaFile,
  [string]$TaskAccount = 'NT AUTHORITY\SYSTEM',
  [string[]]$Task = @(),
  [string]$LogDir,
  [string]$PythonExe,
  [string]$SigningThumbprint,
  [string]$TimestampServer,
  [switch]$DryRun,
  [switch]$Uninstall
)

$ErrorActionPreference = 'Stop'
if ($DryRun) { $WhatIfPreference = $true }

# The dry-run plan: every change is announced by one of these lines first (checked by check-ps1).
$script:PlanCopy = 'PLAN: copy {0} -> {1}'
$script:PlanSign = 'PLAN: sign {0} with certificate {1}'
$script:PlanAcl = 'PLAN: restrict {0}: Administrators and SYSTEM full control, {1} modify, no inherited rights'
$script:PlanVariable = 'PLAN: set machine variable {0} = {1}'
$script:PlanCa = 'PLAN: import CA {0} into Cert:\LocalMachine\Root'
$script:PlanBackup = 'PLAN: back up the actions of task {0} to {1}'
$script:PlanWrap = 'PLAN: wrap task {0}: "{1} {2}" -> "{3} {4}" (start in: {5})'
$script:PlanSkip = 'PLAN: leave task {0} as it is: {1}'
$script:PlanRestore = 'PLAN: restore task {0} from {1}'

function Write-Plan {
  param([string]$Line)
  Write-Output $Line
}

function Get-TaskKey {
  # The run's task_key: the task's name with what the gateway and file names dislike replaced;
  # a name with no ASCII letters at all (a Japanese name) gets a stable hash of its full path.
  param([string]$FullName, [string]$Name)
  $key = ($Name -replace '[^A-Za-z0-9_.-]', '_').Trim('_')
  if ($key -match '[A-Za-z0-9]') { return $key }
  $sha = [System.Security.Cryptography.SHA256]::Create()
  $hash = $sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($FullName))
  return 'task_' + ([BitConverter]::ToString($hash, 0, 6) -replace '-', '').ToLowerInvariant()
}

function Get-BackupPath {
  param([string]$FullName)
  $sha = [System.Security.Cryptography.SHA256]::Create()
  $hash = $sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($FullName))
  return Join-Path (Join-Path $DataDir 'task-backup') ((([BitConverter]::ToString($hash)) -replace '-', '').ToLowerInvariant() + '.json')
}

function Split-TaskPath {
  param([string]$FullName)
  $at = $FullName.LastIndexOf('\')
  if ($at -lt 0) { return @('\', $FullName) }
  return @($FullName.Substring(0, $at + 1), $FullName.Substring($at + 1))
}

function New-Action {
  # New-ScheduledTaskAction refuses empty strings: pass only what the action has.
  param([string]$Execute, [string]$Arguments, [string]$WorkingDirectory)
  $parameters = @{ Execute = $Execute }
  if ($Arguments) { $parameters['Argument'] = $Arguments }
  if ($WorkingDirectory) { $parameters['WorkingDirectory'] = $WorkingDirectory }
  return New-ScheduledTaskAction @parameters
}

function Format-Argument {
  # One argument for cmd.exe inside the outer quotes of "cmd /c "..."": quotes cannot occur in
  # task names or paths the wrapper gets, so they are dropped.
  param([string]$Text)
  return '"' + ($Text -replace '"', '') + '"'
}

function Install-Files {
  $sources = @(
    @{ From = (Join-Path $PSScriptRoot 'tcportal-monitor.ps1'); To = (Join-Path $InstallDir 'tcportal-monitor.ps1') }
    @{ From = (Join-Path $PSScriptRoot 'wrap-and-report.bat'); To = (Join-Path $InstallDir 'wrap-and-report.bat') }
    @{ From = (Join-Path $PSScriptRoot '..\python\tcportal-run.py'); To = (Join-Path $InstallDir 'python\tcportal-run.py') }
    @{ From = (Join-Path $PSScriptRoot '..\python\tcportal_monitor'); To = (Join-Path $InstallDir 'python\tcportal_monitor') }
  )
  foreach ($source in $sources) {
    Write-Plan ($script:PlanCopy -f $source.From, $source.To)
    if ($PSCmdlet.ShouldProcess($source.To, 'copy')) {
      $parent = Split-Path -Parent $source.To
      if (-not (Test-Path -LiteralPath $parent)) { [void](New-Item -ItemType Directory -Path $parent -Force) }
      Copy-Item -LiteralPath $source.From -Destination $source.To -Recurse -Force
    }
  }
  if ($SigningThumbprint) {
    $target = Join-Path $InstallDir 'tcportal-monitor.ps1'
    Write-Plan ($script:PlanSign -f $target, $SigningThumbprint)
    if ($PSCmdlet.ShouldProcess($target, 'sign')) {
      $certificate = Get-ChildItem -Path @('Cert:\LocalMachine\My', 'Cert:\CurrentUser\My') -CodeSigningCert | Where-Object { $_.Thumbprint -eq $SigningThumbprint } | Select-Object -First 1
      if ($null -eq $certificate) { throw ('no code-signing certificate with thumbprint ' + $SigningThumbprint) }
      $signing = @{ FilePath = $target; Certificate = $certificate }
      if ($TimestampServer) { $signing['TimestampServer'] = $TimestampServer }
      [void](Set-AuthenticodeSignature @signing)
    }
  }
}

function Set-DataFolderAcl {
  Write-Plan ($script:PlanAcl -f $DataDir, $TaskAccount)
  if ($PSCmdlet.ShouldProcess($DataDir, 'restrict ACL')) {
    if (-not (Test-Path -LiteralPath $DataDir)) { [void](New-Item -ItemType Directory -Path $DataDir -Force) }
    # S-1-5-32-544 Administrators, S-1-5-18 SYSTEM; every other right (Users, inherited) removed.
    & icacls.exe $DataDir /inheritance:r /grant:r '*S-1-5-32-544:(OI)(CI)F' '*S-1-5-18:(OI)(CI)F' ($TaskAccount + ':(OI)(CI)M') | Out-Null
    if ($LASTEXITCODE -ne 0) { throw ('icacls failed for ' + $DataDir + ' (exit code ' + $LASTEXITCODE + ')') }
  }
}

function Set-MachineVariables {
  $secret = $null
  if ($SecretFile) {
    $secret = ([System.IO.File]::ReadAllText($SecretFile)).Trim()
  } elseif (-not $WhatIfPreference) {
    $secure = Read-Host -AsSecureString 'TC_PORTAL_WEBHOOK_SECRET'
    $secret = [System.Runtime.InteropServices.Marshal]::PtrToStringBSTR([System.Runtime.InteropServices.Marshal]::SecureStringToBSTR($secure))
  }
  $variables = New-Object System.Collections.Specialized.OrderedDictionary
  if ($BaseUrl) { $variables['TC_PORTAL_BASE_URL'] = $BaseUrl.TrimEnd('/') }
  if ($secret) { $variables['TC_PORTAL_WEBHOOK_SECRET'] = $secret }
  $variables['TC_PORTAL_SPOOL_DIR'] = (Join-Path $DataDir 'spool')
  foreach ($name in $variables.Keys) {
    $shown = $variables[$name]
    if ($name -eq 'TC_PORTAL_WEBHOOK_SECRET') { $shown = '(secret, ' + $shown.Length + ' characters, not shown)' }
    Write-Plan ($script:PlanVariable -f $name, $shown)
    if ($PSCmdlet.ShouldProcess($name, 'set machine variable')) {
      [Environment]::SetEnvironmentVariable($name, $variables[$name], 'Machine')
    }
  }
}

function Import-CompanyCa {
  if (-not $CaFile) { return }
  Write-Plan ($script:PlanCa -f $CaFile)
  if ($PSCmdlet.ShouldProcess($CaFile, 'import into LocalMachine\Root')) {
    [void](Import-Certificate -FilePath $CaFile -CertStoreLocation 'Cert:\LocalMachine\Root')
  }
}

function Get-WrappedAction {
  # The new Execute/Arguments for one action, or a reason to leave it.
  param($Action, [string]$Key, [string]$Name)
  $execute = [string]$Action.Execute
  $arguments = [string]$Action.Arguments
  $wrapper = Join-Path $InstallDir 'wrap-and-report.bat'
  $launcher = Join-Path $InstallDir 'python\tcportal-run.py'
  if (($execute + ' ' + $arguments) -match 'wrap-and-report\.bat|tcportal-run\.py|tcportal_monitor') {
    return @{ Skip = 'already wrapped' }
  }
  $target = $null
  if ($execute -match '\.(bat|cmd)"?$') {
    $target = $execute.Trim('"')
    if ($arguments) { return @{ Skip = 'a BAT with arguments cannot go through wrap-and-report.bat (spec 4.2 takes none)' } }
  } elseif ($execute -match '(^|\\)cmd(\.exe)?"?$' -and $arguments -match '^/c\s+"?([^"]+\.(bat|cmd))"?\s*$') {
    $target = $Matches[1]
  }
  if ($target) {
    $logArgument = ''
    if ($LogDir) { $logArgument = ' ' + (Format-Argument $LogDir) }
    $inner = (Format-Argument $wrapper) + ' ' + (Format-Argument $Key) + ' ' + (Format-Argument $Name) + ' ' + (Format-Argument $target) + $logArgument
    return @{ Execute = (Join-Path $env:SystemRoot 'System32\cmd.exe'); Arguments = ('/c "' + $inner + '"') }
  }
  if ($execute -match '(^|\\)pythonw?(\d+(\.\d+)?)?(\.exe)?"?$') {
    $python = $execute
    if ($PythonExe) { $python = $PythonExe }
    $logArgument = ''
    if ($LogDir) { $logArgument = ' --log-dir ' + (Format-Argument $LogDir) }
    $new = (Format-Argument $launcher) + ' run --task-key ' + (Format-Argument $Key) + ' --task-name ' + (Format-Argument $Name) + $logArgument + ' -- ' + (Format-Argument $execute.Trim('"')) + ' ' + $arguments
    return @{ Execute = $python; Arguments = $new.TrimEnd() }
  }
  return @{ Skip = ('not a BAT or Python action: ' + $execute) }
}

function Install-TaskWrappers {
  foreach ($fullName in $Task) {
    try {
      Install-TaskWrapper $fullName
    } catch {
      # e.g. a task saved with a password: Task Scheduler wants it again to change the task.
      Write-Warning ('task ' + $fullName + ' not wrapped: ' + $_.Exception.Message)
    }
  }
}

function Install-TaskWrapper {
  param([string]$fullName)
  if ($fullName) {
    $parts = Split-TaskPath $fullName
    $scheduled = Get-ScheduledTask -TaskPath $parts[0] -TaskName $parts[1]
    $key = Get-TaskKey $fullName $parts[1]
    $backup = Get-BackupPath $fullName
    $newActions = @()
    $changed = $false
    foreach ($action in @($scheduled.Actions)) {
      $wrapped = Get-WrappedAction $action $key $parts[1]
      if ($wrapped.Skip) {
        Write-Plan ($script:PlanSkip -f $fullName, $wrapped.Skip)
        $newActions += New-Action $action.Execute $action.Arguments $action.WorkingDirectory
        continue
      }
      Write-Plan ($script:PlanWrap -f $fullName, $action.Execute, $action.Arguments, $wrapped.Execute, $wrapped.Arguments, $action.WorkingDirectory)
      # The working directory ("Start in") stays the job's own; the wrapper needs none.
      $newActions += New-Action $wrapped.Execute $wrapped.Arguments $action.WorkingDirectory
      $changed = $true
    }
    if (-not $changed) { return }
    Write-Plan ($script:PlanBackup -f $fullName, $backup)
    if ($PSCmdlet.ShouldProcess($fullName, 'back up actions')) {
      $saved = @{
        TaskPath = $parts[0]
        TaskName = $parts[1]
        Actions = @($scheduled.Actions | ForEach-Object { @{ Execute = $_.Execute; Arguments = $_.Arguments; WorkingDirectory = $_.WorkingDirectory } })
        TaskXml = (Export-ScheduledTask -TaskPath $parts[0] -TaskName $parts[1])
      }
      $folder = Split-Path -Parent $backup
      if (-not (Test-Path -LiteralPath $folder)) { [void](New-Item -ItemType Directory -Path $folder -Force) }
      if (-not (Test-Path -LiteralPath $backup)) {
        # Never overwrite: the first backup holds the task as it was before any wrapping.
        [System.IO.File]::WriteAllText($backup, ($saved | ConvertTo-Json -Depth 5), (New-Object System.Text.UTF8Encoding($true)))
      }
    }
    if ($PSCmdlet.ShouldProcess($fullName, 'wrap actions')) {
      [void](Set-ScheduledTask -TaskPath $parts[0] -TaskName $parts[1] -Action $newActions)
    }
  }
}

function Restore-TaskWrappers {
  $folder = Join-Path $DataDir 'task-backup'
  if (-not (Test-Path -LiteralPath $folder)) { return }
  foreach ($file in @(Get-ChildItem -LiteralPath $folder -Filter '*.json' -File)) {
    $saved = [System.IO.File]::ReadAllText($file.FullName, [System.Text.Encoding]::UTF8) | ConvertFrom-Json
    $fullName = $saved.TaskPath + $saved.TaskName
    Write-Plan ($script:PlanRestore -f $fullName, $file.FullName)
    $actions = @($saved.Actions | ForEach-Object { New-Action $_.Execute $_.Arguments $_.WorkingDirectory })
    if ($PSCmdlet.ShouldProcess($fullName, 'restore actions')) {
      [void](Set-ScheduledTask -TaskPath $saved.TaskPath -TaskName $saved.TaskName -Action $actions)
      Remove-Item -LiteralPath $file.FullName -Force
    }
  }
}

if ($Uninstall) {
  Restore-TaskWrappers
} else {
  Install-Files
  Set-DataFolderAcl
  Set-MachineVariables
  Import-CompanyCa
  Install-TaskWrappers
}
