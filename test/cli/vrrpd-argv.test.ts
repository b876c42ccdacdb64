// The daemon's start parses its options without commander (vrrpd-argv.ts); commander stays the
// reference. Every command line the fast parser accepts must give commander's very options; every
// one it is unsure of must come back null, so commander prints the help, version or error.

import { describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { parseDaemonArguments } from '../../src/cli/vrrpd-argv.js';
import { vrrpdProgram } from '../../src/cli/vrrpd-program.js';

function commanderParse(argv: string[]): Record<string, unknown> | 'error' {
  const command = vrrpdProgram()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  try {
    command.parse(['node', 'vrrpd', ...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return 'error';
    throw error;
  }
  return { ...command.opts() };
}

const ACCEPTED: string[][] = [
  [],
  ['-f', '/etc/keepalived/keepalived.conf'],
  ['--use-file=/tmp/a.conf', '--log-level', 'debug'],
  ['-f', 'x.conf', '-t', '--offline', '--strict'],
  ['-t', '--no-interfaces', '-i', 'router1'],
  ['--dump-config', '-f', 'x.conf'],
  ['--socket', '/run/x.sock', '--socket-group', 'adm', '--state-dir', '/var/lib/x'],
  ['-p', '/run/a.pid', '-r', '/run/b.pid', '--metrics-listen', '127.0.0.1:9650'],
  ['--immediate-release', '--log-level', 'warn'],
  ['--uplinks-only', '-c', '/etc/netgwm/netgwm.yml'],
  // A KEEPALIVED_OPTIONS line: keepalived's harmless flags.
  ['-D', '-n', '-l', '-P', '-G', '-d', '-S', '0', '-f', '/etc/keepalived/keepalived.conf'],
  [
    '--dont-fork',
    '--log-console',
    '--log-detail',
    '--vrrp',
    '--no-syslog',
    '--dump-conf',
    '--log-facility',
    '7',
  ],
  ['-f', 'a.conf', '-f', 'b.conf'],
];

const DEFERRED: string[][] = [
  ['--help'],
  ['-h'],
  ['--version'],
  ['-v'],
  ['--log-level', 'loud'],
  ['--bogus'],
  ['-f'],
  ['stray'],
  ['-f', 'x.conf', 'extra'],
  ['--strict=yes'],
  ['-f', '-t'],
];

describe('vrrpd fast argument parse', () => {
  it.each(ACCEPTED.map((argv) => [argv.join(' ') || '(none)', argv]))(
    'gives commander’s options for %s',
    (_, argv) => {
      const fast = parseDaemonArguments(argv as string[]);
      expect(fast).not.toBeNull();
      expect(fast).toEqual(commanderParse(argv as string[]));
    },
  );

  it.each(DEFERRED.map((argv) => [argv.join(' '), argv]))('leaves %s to commander', (_, argv) => {
    expect(parseDaemonArguments(argv as string[])).toBeNull();
  });

  it('leaves to commander only what commander also refuses or answers itself', () => {
    // Help and version are commander's own answers; the rest must be errors there too, or the
    // fast parser would be refusing a command line the daemon is meant to accept.
    for (const argv of DEFERRED.filter((a) => !/^(-h|--help|-v|--version)$/.test(a[0]!))) {
      if (argv.join(' ') === '-f -t') continue; // commander takes -t as the file name: not an error
      expect(commanderParse(argv), argv.join(' ')).toBe('error');
    }
  });
});
