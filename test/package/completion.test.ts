// The bash completions generated from the CLI definitions, run in a real bash with bash-completion's
// helpers: subcommands, options, option values (levels, files), and vrrpctl's instance names taken
// from `vrrpctl status --json` (a stand-in vrrpctl on PATH prints a status snapshot).

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bashCompletion } from '../../packaging/completion.js';
import { vrrpctlDefinitions } from '../../src/cli/vrrpctl-program.js';
import { vrrpdProgram } from '../../src/cli/vrrpd-program.js';
import { sampleStatus } from '../control/fixtures.js';

const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';
const available = existsSync(BASH_COMPLETION) && spawnSync('bash', ['--version']).status === 0;
if (!available && process.env.CI === 'true') {
  throw new Error(`${BASH_COMPLETION} is missing: install Debian's bash-completion (scripts/setup.sh does)`);
}
if (!available) console.warn(`skipping completion tests: ${BASH_COMPLETION} is not installed`);

describe.skipIf(!available)('bash completion', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vrrpd-completion-'));
    writeFileSync(join(dir, 'vrrpd.bash'), bashCompletion(vrrpdProgram()));
    writeFileSync(join(dir, 'vrrpctl.bash'), bashCompletion(vrrpctlDefinitions()));
    // The stand-in vrrpctl records its arguments and answers `status --json` like vrrpd would.
    writeFileSync(join(dir, 'status.json'), `${JSON.stringify(sampleStatus(), null, 2)}\n`);
    writeFileSync(join(dir, 'vrrpctl'), `#!/bin/sh\necho "$*" >> "${dir}/calls"\ncat "${dir}/status.json"\n`);
    chmodSync(join(dir, 'vrrpctl'), 0o755);
    writeFileSync(join(dir, 'a-config.conf'), '');
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Completes the last word of `line` (an empty last word when it ends in a space). */
  function complete(program: 'vrrpd' | 'vrrpctl', line: string): string[] {
    const script = [
      `source ${BASH_COMPLETION}`,
      `source ${join(dir, `${program}.bash`)}`,
      'COMP_LINE=$1; COMP_POINT=${#COMP_LINE}',
      'read -r -a COMP_WORDS <<< "$COMP_LINE"',
      '[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")',
      'COMP_CWORD=$((${#COMP_WORDS[@]} - 1))',
      `_${program}`,
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const result = spawnSync('bash', ['-c', script, 'bash', line], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 10_000,
      env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` },
    });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout
      .split('\n')
      .filter((word) => word !== '')
      .sort();
  }

  it('vrrpctl: subcommands, then each subcommand’s options', () => {
    const commands = ['demote', 'garp', 'handover', 'help', 'reload', 'resume', 'stats', 'status', 'uplink'];
    expect(complete('vrrpctl', 'vrrpctl ')).toEqual(commands);
    expect(complete('vrrpctl', 'vrrpctl st')).toEqual(['stats', 'status']);
    expect(complete('vrrpctl', 'vrrpctl --')).toEqual(['--help', '--netns', '--socket', '--timeout']);
    expect(complete('vrrpctl', 'vrrpctl stats --')).toEqual(['--clear', '--help', '--json']);
    expect(complete('vrrpctl', 'vrrpctl --timeout 2 status --j')).toEqual(['--json']);
    expect(complete('vrrpctl', 'vrrpctl help ')).toEqual(commands);
    expect(complete('vrrpctl', 'vrrpctl handover --a')).toEqual(['--all']);
  });

  it('vrrpctl: instance names from the running daemon, through the socket given on the line', () => {
    rmSync(join(dir, 'calls'), { force: true });
    const names = sampleStatus().instances.map((instance) => instance.name);
    expect(complete('vrrpctl', 'vrrpctl --socket /run/x.sock status ')).toEqual([...names].sort());
    expect(readFileSync(join(dir, 'calls'), 'utf8')).toBe('--socket /run/x.sock --timeout 1 status --json\n');
    expect(complete('vrrpctl', `vrrpctl garp ${names[0]!.slice(0, 2)}`)).toEqual(
      names.filter((name) => name.startsWith(names[0]!.slice(0, 2))).sort(),
    );
    // Option values are skipped when counting arguments.
    expect(complete('vrrpctl', 'vrrpctl handover --reason upgrade ')).toEqual([...names].sort());
    expect(complete('vrrpctl', 'vrrpctl demote --by 50 ')).toEqual([...names].sort());
    // One instance argument only; uplink group names are not instances.
    expect(complete('vrrpctl', `vrrpctl status ${names[0]} `)).toEqual([]);
    const groups = sampleStatus().uplinkGroups.map((group) => group.name);
    for (const group of groups) expect(complete('vrrpctl', 'vrrpctl status ')).not.toContain(group);
  });

  it('vrrpctl: file names for --socket', () => {
    expect(complete('vrrpctl', 'vrrpctl --socket a-')).toEqual(['a-config.conf']);
  });

  it('vrrpd: options, log levels, files for -f', () => {
    expect(complete('vrrpd', 'vrrpd --u')).toEqual(['--uplink-config', '--uplinks-only', '--use-file']);
    expect(complete('vrrpd', 'vrrpd --log-level ')).toEqual(['debug', 'error', 'info', 'trace', 'warn']);
    expect(complete('vrrpd', 'vrrpd -f a-')).toEqual(['a-config.conf']);
    expect(complete('vrrpd', 'vrrpd -t -f ./a-config.conf --dump')).toEqual(['--dump-config']);
    // keepalived's accepted flags work but are not offered, as --help does not list them.
    expect(complete('vrrpd', 'vrrpd --dont')).toEqual([]);
  });
});
