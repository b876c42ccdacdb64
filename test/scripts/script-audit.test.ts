import { describe, expect, it } from 'vitest';
import { parseGroup, parsePasswd, type AccountDatabase } from '../../src/scripts/credentials.js';
import {
  auditScripts,
  formatScriptDiagnostic,
  rootScriptsWarning,
  type ScriptAuditContext,
  type ScriptUse,
} from '../../src/scripts/script-audit.js';
import { saneTree } from './fake-fs.js';

const accounts: AccountDatabase = {
  users: parsePasswd('root:x:0:0::/root:/bin/sh\nops:x:1000:1000::/home/ops:/bin/sh\n'),
  groups: parseGroup('root:x:0:\nops:x:1000:\n'),
};

function use(
  role: string,
  owner: string,
  argv: string[],
  line: number,
  extra: { user?: string } = {},
): ScriptUse {
  return {
    role,
    owner,
    spec: {
      command: argv.join(' '),
      argv,
      source: { file: '/etc/keepalived/keepalived.conf', line },
      ...extra,
    },
  };
}

function context(enableScriptSecurity: boolean): ScriptAuditContext {
  return {
    settings: { enableScriptSecurity },
    accounts,
    daemon: { uid: 0, gid: 0 },
    inspector: saneTree({
      '/srv': { type: 'directory', mode: 0o775, gid: 1000 },
      '/srv/keepup.sh': { type: 'file', mode: 0o755 },
      '/usr/bin/check': { type: 'file', mode: 0o755 },
    }),
    locate: (program) => (program.startsWith('/') ? program : null),
  };
}

const uses: ScriptUse[] = [
  use('notify', 'ROUTEUR_1', ['/srv/keep.sh'], 12),
  use('vrrp_script', 'chk_uplink', ['/usr/bin/check', '198.51.100.1'], 3),
  use('notify_master', 'VI_2', ['/srv/keepup.sh'], 20, { user: 'ops' }),
  use('notify_backup', 'VI_2', ['/srv/keepdown.sh'], 21, { user: 'ghost' }),
  use('notify_fault', 'VI_2', ['keepdown.sh'], 22),
  use('notify_stop', 'VI_2', ['/srv/stop.sh'], 23, { user: 'ops' }),
];

describe('auditScripts for the config test and the daemon', () => {
  it('with enable_script_security: refuses the unsafe root script and reports FILE:LINE errors', () => {
    const audit = auditScripts(uses, context(true));
    expect(audit.scripts.map((script) => [script.use.spec.source.line, script.verdict.allowed])).toEqual([
      [12, false],
      [3, true],
      [20, true],
      [21, false],
      [22, false],
      [23, false],
    ]);
    expect(audit.scripts[2].credentials).toEqual({ uid: 1000, gid: 1000 });
    expect(audit.diagnostics.map(formatScriptDiagnostic)).toEqual([
      '/etc/keepalived/keepalived.conf:12: error: notify of ROUTEUR_1: script "/srv/keep.sh" would run as root but ' +
        '/srv is group-writable by gid 1000; refused by enable_script_security [VRRPD_E_SCRIPT_UNSAFE] ' +
        '(hint: make /srv owned by root and writable only by root, or run the script as another user ' +
        '(script_user or "user" after the script))',
      '/etc/keepalived/keepalived.conf:21: error: notify_backup of VI_2: cannot run "/srv/keepdown.sh": ' +
        'unknown user "ghost" [VRRPD_E_SCRIPT_USER] (hint: create the user/group or fix the name after the script)',
      '/etc/keepalived/keepalived.conf:22: error: notify_fault of VI_2: script "keepdown.sh" not found in PATH ' +
        '[VRRPD_E_SCRIPT_NOT_FOUND] (hint: give the full path of the script)',
      '/etc/keepalived/keepalived.conf:23: error: notify_stop of VI_2: script "/srv/stop.sh" cannot be used: ' +
        '/srv/stop.sh does not exist [VRRPD_E_SCRIPT_NOT_FOUND]',
    ]);
    expect(rootScriptsWarning(audit, { enableScriptSecurity: true })).toBeNull();
  });

  it('lets keepalived’s "</dev/tcp/…" vrrp_script through unchecked: it runs no program', () => {
    const checks = [
      use('vrrp_script', 'chk_http', ['</dev/tcp/127.0.0.1/80'], 5),
      use('notify_master', 'VI_2', ['</dev/tcp/127.0.0.1/80'], 6),
    ];
    const audit = auditScripts(checks, context(true));
    expect(audit.scripts.map((s) => s.verdict.allowed)).toEqual([true, false]);
    expect(audit.diagnostics.map((d) => d.line)).toEqual([6]);
  });

  it('without enable_script_security: runs it, warns per script and once loudly at start', () => {
    const audit = auditScripts(uses, context(false));
    expect(audit.scripts[0].verdict.allowed).toBe(true);
    expect(audit.diagnostics[0]).toMatchObject({
      severity: 'warning',
      code: 'VRRPD_W_SCRIPT_UNSAFE',
      line: 12,
    });
    const warning = rootScriptsWarning(audit, { enableScriptSecurity: false });
    expect(warning).toContain('2 script(s) will run as root');
    expect(warning).toContain('/srv/keep.sh (/etc/keepalived/keepalived.conf:12)');
    expect(warning).toContain('/usr/bin/check 198.51.100.1 (/etc/keepalived/keepalived.conf:3)');
    expect(warning).not.toContain('keepup.sh');
  });

  it('global script_user makes scripts unprivileged, so no warning', () => {
    const audit = auditScripts([uses[0], uses[1]], {
      ...context(false),
      settings: { enableScriptSecurity: false, scriptUser: { user: 'ops', group: null } },
    });
    expect(audit.diagnostics).toEqual([]);
    expect(audit.scripts.every((script) => script.credentials?.uid === 1000)).toBe(true);
    expect(
      rootScriptsWarning(audit, { enableScriptSecurity: false, scriptUser: { user: 'ops', group: null } }),
    ).toBeNull();
  });
});
