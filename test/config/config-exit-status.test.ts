// `vrrpd -t`'s status follows keepalived's `-t` (issue 13): keepalived exits 5 after anything it
// reports with report_config_error, whatever the report says, and 0 when it only logs or says
// nothing. Each case below was run through keepalived 2.2.7's -t in a network namespace (the
// agreement test keeps a one-construct case of each class).
import { describe, expect, it } from 'vitest';
import { configTest, exitCodeFor, KEEPALIVED_EXIT, summaryLine } from '../../src/cli/config-commands.js';
import { memoryFileSource } from '../../src/config/language/file-source.js';
import type { Diagnostic } from '../../src/config/report/diagnostics.js';
import { DiagnosticCodes, DiagnosticSink } from '../../src/config/report/diagnostics.js';

const FILE = '/k.conf';

const instance = (extra: string, name = 'VI_1', vrid = 90, vip = '192.0.2.90/24'): string =>
  `vrrp_instance ${name} {\n  interface eth1\n  virtual_router_id ${vrid}\n${extra}\n  virtual_ipaddress {\n    ${vip}\n  }\n}\n`;

function check(text: string, strict = false): ReturnType<typeof configTest> {
  return configTest({ file: FILE, configId: 'a', files: memoryFileSource({ [FILE]: text }), strict });
}

function warning(code: Diagnostic['code'], keepalivedReports?: boolean): Diagnostic {
  return {
    severity: 'warning',
    code,
    file: FILE,
    line: 1,
    message: 'm',
    ...(keepalivedReports === undefined ? {} : { keepalivedReports }),
  };
}

describe('exitCodeFor', () => {
  it('is 4 when vrrpd cannot run the file, whatever the warnings', () => {
    expect(exitCodeFor({ ok: false, diagnostics: [warning(DiagnosticCodes.adjusted, true)] })).toBe(
      KEEPALIVED_EXIT.CONFIG,
    );
  });

  it('is 0 without warnings, and with warnings keepalived does not give', () => {
    expect(exitCodeFor({ ok: true, diagnostics: [] })).toBe(KEEPALIVED_EXIT.OK);
    expect(
      exitCodeFor({
        ok: true,
        diagnostics: [
          warning(DiagnosticCodes.suspicious),
          warning(DiagnosticCodes.adjusted),
          warning(DiagnosticCodes.ignored),
          warning(DiagnosticCodes.includeWarning),
          warning(DiagnosticCodes.interfaceAbsent),
        ],
      }),
    ).toBe(KEEPALIVED_EXIT.OK);
  });

  it('is 5 for a warning keepalived reports too, lenient or not', () => {
    for (const reported of [
      warning(DiagnosticCodes.adjusted, true),
      warning(DiagnosticCodes.suspicious, true),
      warning(DiagnosticCodes.ignored, true),
      warning(DiagnosticCodes.keywordSkipped),
      warning(DiagnosticCodes.valueSkipped),
    ])
      expect(exitCodeFor({ ok: true, diagnostics: [warning(DiagnosticCodes.suspicious), reported] })).toBe(
        KEEPALIVED_EXIT.CONFIG_TEST,
      );
  });

  it('is 0 for a lenient mistake keepalived runs past silently (marked false)', () => {
    expect(exitCodeFor({ ok: true, diagnostics: [warning(DiagnosticCodes.valueSkipped, false)] })).toBe(
      KEEPALIVED_EXIT.OK,
    );
  });
});

describe('DiagnosticSink marks', () => {
  it('keeps the mark only where it departs from the code, and not on an error twin', () => {
    const sink = new DiagnosticSink();
    const at = { file: FILE, line: 1 };
    sink.report(DiagnosticCodes.adjusted, at, 'a', undefined, { keepalivedReports: true });
    sink.report(DiagnosticCodes.adjusted, at, 'b', undefined, { keepalivedReports: false });
    sink.report(DiagnosticCodes.valueSkipped, at, 'c', undefined, { keepalivedReports: true });
    sink.report(DiagnosticCodes.valueSkipped, at, 'd', undefined, {
      lenientOutcome: 'ignored',
      keepalivedReports: false,
    });
    expect(sink.diagnostics.map((d) => [d.message, d.keepalivedReports])).toEqual([
      ['a', true],
      ['b', undefined],
      ['c', undefined],
      ['d: ignored', false],
    ]);
    const strict = new DiagnosticSink({ strict: true });
    strict.report(DiagnosticCodes.valueSkipped, at, 'e', undefined, { keepalivedReports: false });
    expect(strict.diagnostics[0]).toMatchObject({ code: DiagnosticCodes.value, severity: 'error' });
    expect(strict.diagnostics[0]?.keepalivedReports).toBeUndefined();
  });
});

describe('vrrpd -t statuses, as keepalived -t gives them', () => {
  it('exits 5 for use_vmac with unicast peers and no vmac_xmit_base, and says why', () => {
    const outcome = check(instance('  use_vmac\n  unicast_peer {\n    192.0.2.2\n  }'));
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
    expect(outcome.result.config.instances[0]?.vmac?.xmitBase).toBe(true);
    expect(outcome.lines.at(-1)).toBe(
      `${FILE}: configuration runs, 1 warning; 1 of them is a value keepalived also reports and adjusts or ignores, as vrrpd does; exit status 5, as from keepalived -t`,
    );
  });

  it('exits 5 for a strict-mode adjustment; --strict leaves it a warning (it refuses lenient mistakes only)', () => {
    const text = `global_defs {\n  vrrp_strict\n}\n${instance('  state MASTER\n  priority 100')}`;
    for (const strict of [false, true]) {
      const outcome = check(text, strict);
      expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
      expect(outcome.result.config.instances[0]?.state).toBe('BACKUP');
      expect(outcome.result.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    }
  });

  it('strict mode resets the lower-priority tuning keepalived resets, with its report (5)', () => {
    for (const [line, status] of [
      ['garp_lower_prio_repeat 2', KEEPALIVED_EXIT.CONFIG_TEST],
      ['garp_lower_prio_delay 5', KEEPALIVED_EXIT.CONFIG_TEST],
      ['lower_prio_no_advert false', KEEPALIVED_EXIT.CONFIG_TEST],
      ['higher_prio_send_advert', KEEPALIVED_EXIT.CONFIG_TEST],
      // Values strict mode wants anyway: keepalived says nothing.
      ['lower_prio_no_advert', KEEPALIVED_EXIT.OK],
      ['garp_lower_prio_delay 0', KEEPALIVED_EXIT.OK],
      ['higher_prio_send_advert off', KEEPALIVED_EXIT.OK],
    ] as const) {
      expect(check(instance(`  strict_mode\n  ${line}`)).exitCode, line).toBe(status);
      // Without strict mode they are only ignored, as before.
      expect(check(instance(`  ${line}`)).exitCode, line).toBe(KEEPALIVED_EXIT.OK);
    }
  });

  it('strict mode starts an address owner written state BACKUP as MASTER, with a report (5)', () => {
    const outcome = check(instance('  strict_mode\n  state BACKUP\n  priority 255'));
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
    expect(outcome.result.config.instances[0]?.state).toBe('MASTER');
  });

  it('exits 0 for warnings keepalived does not give', () => {
    for (const text of [
      // IPv6 with version 2: keepalived runs it without a word.
      instance('  version 2', 'VI_1', 90, '2001:db8::90/64'),
      // state MASTER without priority: priority 255, silently.
      instance('  state MASTER'),
      // Only logged by keepalived (log_message): "The vrrp_gna_interval is very large".
      `global_defs {\n  vrrp_gna_interval 2\n}\n${instance('')}`,
      // The same VIP twice, a peer listed twice: keepalived is silent.
      instance('', 'VI_1', 90, '192.0.2.90/24\n    192.0.2.90/24'),
      instance('  unicast_peer {\n    192.0.2.2\n    192.0.2.2\n  }'),
      // A repeated keyword whose last value wins: silent in keepalived.
      instance('  priority 100\n  priority 101'),
    ]) {
      const outcome = check(text);
      expect(outcome.result.diagnostics.length, text).toBeGreaterThan(0);
      expect(outcome.exitCode, text).toBe(KEEPALIVED_EXIT.OK);
      expect(outcome.lines.at(-1), text).toMatch(/: configuration OK, \d+ warnings?$/);
    }
  });

  it('exits 0 for a stray argument (keepalived ignores it silently); --strict still refuses it', () => {
    const text = instance('  nopreempt 1');
    const outcome = check(text);
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.OK);
    expect(outcome.lines.at(-1)).toBe(
      `${FILE}: configuration runs, 1 warning; 1 of them is a mistake keepalived runs past without a report, as vrrpd does (\`vrrpd -t --strict\` refuses it); exit status 0, as from keepalived -t`,
    );
    expect(check(text, true).exitCode).toBe(KEEPALIVED_EXIT.CONFIG);
  });

  it('counts each kind in the summary when they come together', () => {
    const outcome = check(instance('  priorty 100\n  advert_int 1.5\n  nopreempt 1'));
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
    expect(outcome.lines.at(-1)).toBe(
      `${FILE}: configuration runs, 3 warnings; 1 of them is a mistake keepalived also reports and runs past, as vrrpd does; 1 is a mistake keepalived runs past without a report, as vrrpd does (\`vrrpd -t --strict\` refuses them); 1 is a value keepalived also reports and adjusts or ignores, as vrrpd does; exit status 5, as from keepalived -t`,
    );
  });

  it('state BACKUP after MASTER is reported by keepalived (5); the other repeats are not (0)', () => {
    expect(check(instance('  state MASTER\n  priority 100\n  state BACKUP')).exitCode).toBe(
      KEEPALIVED_EXIT.CONFIG_TEST,
    );
    expect(check(instance('  state BACKUP\n  priority 100\n  state MASTER')).exitCode).toBe(
      KEEPALIVED_EXIT.OK,
    );
    expect(check(instance('  state MASTER\n  priority 100\n  state MASTER')).exitCode).toBe(
      KEEPALIVED_EXIT.OK,
    );
  });

  it('a sync group demoting a MASTER: reported only after members written MASTER with priority 255', () => {
    const group = (members: string): string => `vrrp_sync_group G {\n  group {\n${members}\n  }\n}\n`;
    const owner = instance('  state MASTER\n  priority 255');
    const backup = instance('  state BACKUP', 'VI_2', 91, '192.0.2.91/24');
    // keepalived: "Sync group G has some member(s) as address owner and some not".
    expect(check(`${group('    VI_1\n    VI_2')}${owner}${backup}`).exitCode).toBe(
      KEEPALIVED_EXIT.CONFIG_TEST,
    );
    // The same members in the other order, or a non-owner MASTER: demoted silently.
    expect(check(`${group('    VI_2\n    VI_1')}${owner}${backup}`).exitCode).toBe(KEEPALIVED_EXIT.OK);
    const master = instance('  state MASTER\n  priority 100');
    expect(check(`${group('    VI_1\n    VI_2')}${master}${backup}`).exitCode).toBe(KEEPALIVED_EXIT.OK);
  });

  it('a repeated startup_script: the first is kept and reported, as keepalived does (5)', () => {
    const text = `global_defs {\n  startup_script /bin/true\n  startup_script /bin/false\n}\n${instance('')}`;
    const outcome = check(text);
    expect(outcome.exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
    expect(outcome.result.config.globals.startupScript?.command).toBe('/bin/true');
  });

  it('ignored keywords: 5 for those keepalived reports, 0 for the others', () => {
    const globals = (line: string): string => `global_defs {\n  ${line}\n}\n${instance('')}`;
    expect(check(globals('child_wait_time 5')).exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
    expect(check(globals('vrrp_iptables')).exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
    expect(check(instance('  lvs_sync_daemon_interface eth1')).exitCode).toBe(KEEPALIVED_EXIT.CONFIG_TEST);
    expect(check(globals('smtp_server 192.0.2.25')).exitCode).toBe(KEEPALIVED_EXIT.OK);
    expect(check(instance('  promote_secondaries')).exitCode).toBe(KEEPALIVED_EXIT.OK);
  });

  it('the summary line is unchanged for a file with no warning', () => {
    expect(summaryLine(FILE, [])).toBe(`${FILE}: configuration OK`);
  });
});
