// Every configured script checked once, at start, on reload and by `vrrpd --config-test`:
// who it runs as (user/group, script_user, keepalived_script, or the daemon) and whether
// enable_script_security lets it run. The daemon keeps only the allowed scripts and logs the
// findings; the config test prints them as `FILE:LINE: error: …`.

import { resolveRunAs, type AccountDatabase } from './credentials.js';
import { cleanScriptEnvironment } from './environment.js';
import {
  evaluateScript,
  ScriptCheckCode,
  type PathInspector,
  type ScriptFinding,
  type ScriptVerdict,
} from './security.js';
import { locateProgram, realPathInspector } from './security-fs.js';
import { isOpenCheck } from './open-check.js';
import type { Credentials, ScriptSpec } from './types.js';

/** One place a script is configured. */
export interface ScriptUse {
  /** The keyword: `notify_master`, `notify`, `vrrp_script`, `notify_fifo_script`, … */
  role: string;
  /** Instance, sync group or vrrp_script name it belongs to (for messages), if any. */
  owner?: string;
  spec: ScriptSpec;
}

/** The config model's GlobalDefs fits: `{ enableScriptSecurity, scriptUser }`. */
export interface ScriptAuditSettings {
  enableScriptSecurity: boolean;
  /** Global `script_user NAME [GROUP]`. */
  scriptUser?: { user: string; group: string | null } | null;
}

export interface ScriptAuditContext {
  settings: ScriptAuditSettings;
  accounts: AccountDatabase;
  /** The daemon's own identity (process.getuid()/getgid()). */
  daemon: Credentials;
  inspector?: PathInspector;
  /** PATH used to find bare program names; defaults to the scripts' cleaned PATH. */
  pathEnv?: string;
  cwd?: string;
  /** Finds the program's absolute path; defaults to the real filesystem. */
  locate?: (program: string, pathEnv: string, cwd: string) => string | null;
}

export interface AuditedScript {
  use: ScriptUse;
  /** Identity to pass to the runner; null when the configured user/group does not exist. */
  credentials: Credentials | null;
  verdict: ScriptVerdict;
}

export interface ScriptDiagnostic extends ScriptFinding {
  file: string;
  line: number;
}

export interface ScriptAudit {
  scripts: AuditedScript[];
  diagnostics: ScriptDiagnostic[];
}

export function auditScripts(uses: readonly ScriptUse[], context: ScriptAuditContext): ScriptAudit {
  const inspector = context.inspector ?? realPathInspector;
  const pathEnv = context.pathEnv ?? cleanScriptEnvironment(process.env).PATH;
  const cwd = context.cwd ?? process.cwd();
  const locate = context.locate ?? locateProgram;
  const scripts: AuditedScript[] = [];
  const diagnostics: ScriptDiagnostic[] = [];

  for (const use of uses) {
    const where = { file: use.spec.source.file, line: use.spec.source.line };
    const label = describeUse(use);
    const runAs = resolveRunAs(context.accounts, use.spec, context.settings, context.daemon);
    if (!runAs.ok) {
      const verdict: ScriptVerdict = {
        allowed: false,
        resolvedPath: null,
        privileged: false,
        findings: [
          {
            severity: 'error',
            code: ScriptCheckCode.unknownUser,
            message: `${label}: cannot run "${use.spec.command}": ${runAs.message}`,
            hint: 'create the user/group or fix the name after the script',
          },
        ],
      };
      scripts.push({ use, credentials: null, verdict });
      diagnostics.push(...verdict.findings.map((finding) => ({ ...where, ...finding })));
      continue;
    }
    if (use.role === 'vrrp_script' && isOpenCheck(use.spec.argv)) {
      // keepalived's "</path" check runs nothing (open-check.ts), so there is no program to
      // inspect; keepalived skips its security checks for these too.
      const verdict: ScriptVerdict = { allowed: true, resolvedPath: null, privileged: false, findings: [] };
      scripts.push({ use, credentials: runAs.credentials, verdict });
      continue;
    }
    const program = use.spec.argv[0] ?? '';
    const verdict = evaluateScript({
      program,
      located: program === '' ? null : locate(program, pathEnv, cwd),
      runAs: runAs.credentials,
      enableScriptSecurity: context.settings.enableScriptSecurity,
      inspector,
    });
    const findings = verdict.findings.map((finding) => ({
      ...finding,
      message: `${label}: ${finding.message}`,
    }));
    scripts.push({ use, credentials: runAs.credentials, verdict: { ...verdict, findings } });
    diagnostics.push(...findings.map((finding) => ({ ...where, ...finding })));
  }
  return { scripts, diagnostics };
}

/** `FILE:LINE: error: message [CODE] (hint: …)` — one line per finding, for the config test. */
export function formatScriptDiagnostic(diagnostic: ScriptDiagnostic): string {
  const hint = diagnostic.hint === undefined ? '' : ` (hint: ${diagnostic.hint})`;
  return `${diagnostic.file}:${diagnostic.line}: ${diagnostic.severity}: ${diagnostic.message} [${diagnostic.code}]${hint}`;
}

/**
 * The one loud warning logged at start when scripts will run as root without
 * enable_script_security; null when there is nothing to warn about.
 */
export function rootScriptsWarning(audit: ScriptAudit, settings: ScriptAuditSettings): string | null {
  if (settings.enableScriptSecurity) return null;
  const rootScripts = audit.scripts.filter((script) => script.verdict.allowed && script.verdict.privileged);
  if (rootScripts.length === 0) return null;
  const listed = rootScripts
    .slice(0, 5)
    .map(
      (script) =>
        `${script.use.spec.command} (${script.use.spec.source.file}:${script.use.spec.source.line})`,
    )
    .join(', ');
  const more = rootScripts.length > 5 ? ` and ${rootScripts.length - 5} more` : '';
  return (
    `SECURITY WARNING [${ScriptCheckCode.rootWithoutSecurity}]: ${rootScripts.length} script(s) will run as root ` +
    `and enable_script_security is not set, so scripts whose path a non-root user can modify are run anyway: ` +
    `${listed}${more}. Set enable_script_security in global_defs (and script_user for scripts that need no root).`
  );
}

function describeUse(use: ScriptUse): string {
  return use.owner === undefined ? use.role : `${use.role} of ${use.owner}`;
}
