// Checks tcportal-monitor.ps1 and Install-TcPortalMonitor.ps1 where no PowerShell is available:
// each must parse without syntax errors (tree-sitter PowerShell grammar), and the rules that can
// be read from the files must hold (the sender's client rules; the installer's dry-run plan and
// its guards). Usage: node check-ps1.mjs [path/to/tcportal-monitor.ps1 [path/to/Install-TcPortalMonitor.ps1]]
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Parser, Language } from 'web-tree-sitter';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const scriptPath = resolve(process.argv[2] ?? resolve(here, '..', 'tcportal-monitor.ps1'));
const installerPath = resolve(process.argv[3] ?? resolve(here, '..', 'Install-TcPortalMonitor.ps1'));

await Parser.init();
const grammar = await Language.load(
  resolve(dirname(require.resolve('tree-sitter-powershell/package.json')), 'tree-sitter-powershell.wasm'));
const parser = new Parser();
parser.setLanguage(grammar);

const results = [];
function check(name, ok, detail = '') {
  results.push({ name, ok });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${!ok && detail ? `\n     ${detail}` : ''}`);
}

// The parser must be able to fail, or a clean parse proves nothing.
check('the grammar reports a known syntax error', parser.parse('if ($x { Write-Host "x"\n').rootNode.hasError);

// Encoding, line endings and a clean parse; returns the text, the tree and the code without comments.
function load(path, label) {
const bytes = readFileSync(path);
const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
const nonAscii = [...bytes].findIndex((b) => b > 0x7f);
check(`${label}: ASCII-only, or UTF-8 with BOM (PowerShell 5.1 reads BOM-less files as ANSI)`,
  nonAscii === -1 || hasBom, `first non-ASCII byte at offset ${nonAscii}`);
const text = new TextDecoder('utf-8', { fatal: true }).decode(hasBom ? bytes.subarray(3) : bytes);
const bareLf = text.split('\n').length - 1 - (text.split('\r\n').length - 1);
check(`${label}: CRLF line endings`, bareLf === 0, `${bareLf} lines end with LF only`);

const tree = parser.parse(text);
const errors = [];
(function walk(node) {
  if (node.type === 'ERROR' || node.isMissing) {
    errors.push(`line ${node.startPosition.row + 1}:${node.startPosition.column + 1} ${node.isMissing ? 'missing ' + node.type : 'unexpected ' + JSON.stringify(node.text.slice(0, 60))}`);
  }
  for (const child of node.children) walk(child);
})(tree.rootNode);
check(`${label}: parses without syntax errors`, errors.length === 0 && !tree.rootNode.hasError, errors.slice(0, 10).join('\n     '));

// Rules below are read from the code without its comments.
const comments = [];
(function collect(node) {
  if (node.type === 'comment') comments.push([node.startIndex, node.endIndex]);
  for (const child of node.children) collect(child);
})(tree.rootNode);
let code = text;
for (const [start, end] of comments.reverse()) code = code.slice(0, start) + ' '.repeat(end - start) + code.slice(end);
return { text, tree, code };
}

console.log(`-- ${scriptPath}`);
const { tree, code } = load(scriptPath, 'sender');

// Spec section 4.1's parameters, read by the script itself from $args (a param() block binds before
// any try/catch runs, and a binding error would exit 1): the table must keep every name, type,
// mandatory flag and allowed value.
const spec = [
  ['TaskKey', 'string', '\\$true'], ['TaskName', 'string', '\\$true'],
  ['Kind', 'string', "\\$true; Values = @\\('bat', 'python'\\)"], ['Status', 'string', "\\$true; Values = @\\('success', 'failed'\\)"],
  ['ExitCode', 'int', '\\$false'], ['Message', 'string', '\\$false'], ['StartedAt', 'string', '\\$false'],
  ['FinishedAt', 'string', '\\$false'], ['DurationMs', 'int', '\\$false'], ['LogUrl', 'string', '\\$false'],
  ['MachineName', 'string', "\\$false; Default = 'env:COMPUTERNAME'"],
];
const missing = spec.filter(([name, type, rest]) =>
  !new RegExp(`@\\{ Name = '${name}';\\s*Type = '${type}';\\s*Mandatory = ${rest} \\}`).test(code)).map((p) => p[0]);
check('keeps the parameters of spec section 4.1 (in $script:ParameterSpec)', missing.length === 0, `missing or changed: ${missing.join(', ')}`);
const topLevel = tree.rootNode.children.flatMap((n) => [n, ...n.children]).map((n) => n.type);
check('no param() block or CmdletBinding that could fail binding before the try (a task name starting with "-")',
  !topLevel.includes('param_block') && !/\[CmdletBinding\(/i.test(code) && !/\[Parameter\(/i.test(code));
check('reads the arguments inside the try: Read-Arguments runs from Invoke-Report',
  /\$script:Arguments = \$args/.test(code) && /function Invoke-Report \{\s*\r?\n\s*\$problems = Read-Arguments \$script:Arguments/.test(code)
  && /if \(\$i -ge \$Tokens\.Count\)[\s\S]{0,200}\$value = \[string\]\$Tokens\[\$i\]/.test(code));
check('has no default portal host; a missing TC_PORTAL_BASE_URL is logged and the report spooled',
  !/vercel|DefaultBaseUrl/i.test(code)
  && /if \(-not \$settings\.ReportUrl\) \{\s*\r?\n\s*\$result = @\{ Outcome = 'unreachable'/.test(code)
  && /Write-MonitorLog 'ERROR' \$result\.Detail/.test(code));
check('keeps a 3xx answer (spooled, never dropped) and does not follow it',
  /AllowAutoRedirect = \$false/.test(code) && /\$status -ge 300 -and \$status -lt 400\) \{[\s\S]{0,300}Outcome = 'unreachable'/.test(code));
check('an untrusted server certificate gets a clear log line and the report is spooled',
  /TrustFailure/.test(code) && /AuthenticationException/.test(code)
  && /Test-CertificateFailure \$_\.Exception\) \{[\s\S]{0,200}Outcome = 'unreachable'[\s\S]{0,100}certificate is not trusted/.test(code)
  && /Import-Certificate/.test(code));
check('refuses junctions and symbolic links (reparse points) on the spool, its folders and the log',
  /function Test-ReparsePoint/.test(code) && /Get-SpoolRefusal \$Folder\) \{ return @\(\) \}/.test(code)
  && /Test-ReparsePoint \$script:LogFile/.test(code) && /-band \[System\.IO\.FileAttributes\]::ReparsePoint\) \{ continue \}/.test(code));
const removals = [...code.matchAll(/Remove-Item ([^\r\n]*)/g)].map((m) => m[1]);
check('deletes only spool files found by their own name pattern',
  removals.length > 0 && removals.every((r) => /^-LiteralPath \$(queued\[\$i\]|kept\[\$i\]|report|Report)\.Path -Force/.test(r)),
  removals.join('\n     '));
check('sets a report that keeps failing aside in spool\\stuck and keeps flushing the rest',
  /TC_PORTAL_SPOOL_MAX_FAILURES/.test(code) && /Move-SpoolFileAside \$counted 'stuck'/.test(code)
  && /\$result\.Status -ge 500 -and @\(\$script:Suspects\)\.Count -eq 0/.test(code));

const exits = [...code.matchAll(/\bexit\b\s*([^\s;}]*)/gi)].map((m) => m[1]);
check('every exit is exit 0', exits.length > 0 && exits.every((value) => value === '0'), `exits: ${exits.join(', ')}`);
check('ends with exit 0', /\bexit 0\s*$/.test(code));
check('the body of the script runs inside try/catch', /\ntry\s*\{\s*\r?\n\s*Invoke-Report\s*\r?\n\s*\}\s*catch\s*\{/.test(code));
check('reads variables from the process, then the machine environment',
  /GetEnvironmentVariable\(\$Name, 'Process'\)/.test(code) && /GetEnvironmentVariable\(\$Name, 'Machine'\)/.test(code));
check('enables TLS 1.2 on Windows PowerShell 5.1',
  /PSVersion\.Major -lt 6\)[\s\S]{0,300}SecurityProtocol\s*=\s*\[Net\.ServicePointManager\]::SecurityProtocol -bor \[Net\.SecurityProtocolType\]::Tls12/.test(code));
check('sets an explicit request timeout', /\.Timeout = \$TimeoutMs/.test(code) && /\.ReadWriteTimeout = \$TimeoutMs/.test(code));
check('sends UTF-8 bytes as application/json; charset=utf-8',
  /ContentType = 'application\/json; charset=utf-8'/.test(code) && /UTF8Encoding\(\$false\)\)\.GetBytes\(/.test(code) && /\.Write\(\$Body, 0, \$Body\.Length\)/.test(code));
check('sends the secret and an Idempotency-Key', /Headers\.Add\('X-TC-Portal-Secret'/.test(code) && /Headers\.Add\('Idempotency-Key'/.test(code));
check('retries only network errors, 408, 429 and 5xx',
  /\$status -eq 408 -or \$status -eq 429 -or \$status -ge 500/.test(code));
check('caps the total time', /TC_PORTAL_MAX_TOTAL_SEC/.test(code) && /\$Deadline/.test(code));
check('bounds the spool', /TC_PORTAL_SPOOL_MAX_FILES/.test(code));
check('does not use cmdlets whose behaviour differs between 5.1 and 7 for the request',
  !/Invoke-(WebRequest|RestMethod)/i.test(code));

// ---- Install-TcPortalMonitor.ps1: PowerShell cannot run here, so its dry-run is checked by what
// the file says: every change is announced by a PLAN line (a constant format string) and happens
// only behind $PSCmdlet.ShouldProcess, which -WhatIf / -DryRun answers with "no".
console.log(`-- ${installerPath}`);
const installer = load(installerPath, 'installer');
const icode = installer.code;
check('installer: -WhatIf support, and -DryRun is the same',
  /\[CmdletBinding\(SupportsShouldProcess = \$true\)\]/.test(icode) && /if \(\$DryRun\) \{ \$WhatIfPreference = \$true \}/.test(icode));
const plan = {
  PlanCopy: 'PLAN: copy {0} -> {1}',
  PlanSign: 'PLAN: sign {0} with certificate {1}',
  PlanAcl: 'PLAN: restrict {0}: Administrators and SYSTEM full control, {1} modify, no inherited rights',
  PlanVariable: 'PLAN: set machine variable {0} = {1}',
  PlanCa: 'PLAN: import CA {0} into Cert:\\LocalMachine\\Root',
  PlanBackup: 'PLAN: back up the actions of task {0} to {1}',
  PlanWrap: 'PLAN: wrap task {0}: "{1} {2}" -> "{3} {4}" (start in: {5})',
  PlanSkip: 'PLAN: leave task {0} as it is: {1}',
  PlanRestore: 'PLAN: restore task {0} from {1}',
};
const planProblems = Object.entries(plan).filter(([name, line]) =>
  !icode.includes(`$script:${name} = '${line}'`) || !new RegExp(`Write-Plan \\(\\$script:${name} -f `).test(icode)).map(([name]) => name);
check('installer: prints the dry-run plan lines (constant format strings, each written by Write-Plan)',
  planProblems.length === 0, `missing or unused: ${planProblems.join(', ')}`);
check('installer: never prints the secret in the plan',
  /if \(\$name -eq 'TC_PORTAL_WEBHOOK_SECRET'\) \{ \$shown = '\(secret, ' \+ \$shown\.Length \+ ' characters, not shown\)' \}/.test(icode)
  && !/Write-(Plan|Output|Host)[^\r\n]*\$secret\b/.test(icode));
// Every change must sit inside `if ($PSCmdlet.ShouldProcess(...)) { ... }`.
const mutating = /\b(Copy-Item|New-Item|Remove-Item|Move-Item|Set-Content|Out-File|Set-Acl|Set-ScheduledTask|Register-ScheduledTask|Unregister-ScheduledTask|Import-Certificate|Set-AuthenticodeSignature|icacls(\.exe)?|certutil(\.exe)?|schtasks(\.exe)?|::SetEnvironmentVariable|::WriteAllText|::WriteAllBytes)\b/g;
const unguarded = [];
let mutations = 0;
for (const match of icode.matchAll(mutating)) {
  mutations++;
  let node = installer.tree.rootNode.descendantForIndex(match.index);
  let guarded = false;
  for (; node; node = node.parent) {
    if (node.type === 'if_statement' && /^if\s*\(\s*\$PSCmdlet\.ShouldProcess\(/.test(node.text)) { guarded = true; break; }
  }
  if (!guarded) unguarded.push(`line ${icode.slice(0, match.index).split('\n').length}: ${match[0]}`);
}
check('installer: every change is behind $PSCmdlet.ShouldProcess (nothing happens in a dry run)',
  mutations >= 10 && unguarded.length === 0, unguarded.join('\n     '));
const planBeforeGuard = [...icode.matchAll(/if \(\$PSCmdlet\.ShouldProcess\(/g)].every((m) => /Write-Plan \(/.test(icode.slice(Math.max(0, m.index - 1500), m.index)));
check('installer: each guarded change is announced by a PLAN line before it', planBeforeGuard);
check('installer: restricts the data folder (spool) to Administrators, SYSTEM and the task account, without inheritance',
  /icacls\.exe \$DataDir \/inheritance:r \/grant:r '\*S-1-5-32-544:\(OI\)\(CI\)F' '\*S-1-5-18:\(OI\)\(CI\)F' \(\$TaskAccount \+ ':\(OI\)\(CI\)M'\)/.test(icode));
check('installer: imports the CA into LocalMachine\\Root', /Import-Certificate -FilePath \$CaFile -CertStoreLocation 'Cert:\\LocalMachine\\Root'/.test(icode));
check('installer: sets the machine variables, with no default portal host',
  /SetEnvironmentVariable\(\$name, \$variables\[\$name\], 'Machine'\)/.test(icode) && !/vercel/i.test(icode));
check('installer: uses the ScheduledTasks module, never schtasks (whose text depends on the code page: Unicode names intact)',
  /Get-ScheduledTask -TaskPath/.test(icode) && /Set-ScheduledTask -TaskPath/.test(icode) && !/schtasks/i.test(icode));
check("installer: keeps each wrapped action's working directory (\"Start in\")",
  /New-Action \$wrapped\.Execute \$wrapped\.Arguments \$action\.WorkingDirectory/.test(icode));
check('installer: backs up the original actions before wrapping, never overwriting the first backup',
  /'back up actions'[\s\S]*if \(-not \(Test-Path -LiteralPath \$backup\)\)[\s\S]*'wrap actions'/.test(icode));
check('installer: -Uninstall restores every backed-up task', /if \(\$Uninstall\) \{\s*\r?\n\s*Restore-TaskWrappers/.test(icode)
  && /function Restore-TaskWrappers[\s\S]*Set-ScheduledTask -TaskPath \$saved\.TaskPath -TaskName \$saved\.TaskName -Action \$actions/.test(icode));
check('installer: wraps BAT tasks with wrap-and-report.bat and Python tasks with tcportal-run.py (found without PYTHONPATH)',
  /'wrap-and-report\.bat'/.test(icode) && /'python\\tcportal-run\.py'/.test(icode));

const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
