// The uplink manager's small I/O helpers: check-site resolution (with an injected resolver: no
// DNS traffic), post-replace.d listing and the atomically written state file.

import { chmod, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listHookExecutables } from '../../../src/daemon/uplinks/hooks.js';
import { expandLogPath } from '../../../src/daemon/uplinks/switch-effects.js';
import {
  answeringSiteLine,
  gwstoreText,
  NetgwmStatusFiles,
} from '../../../src/daemon/uplinks/netgwm-status.js';
import { UplinkReporter } from '../../../src/daemon/uplinks/reporting.js';
import { silentLogger } from '../../../src/runtime/log.js';
import { formatLogMessage } from '../../../src/runtime/messages.js';
import { initialHealth } from '../../../src/uplink/health.js';
import { resolveCheckSites, SiteResolver } from '../../../src/daemon/uplinks/resolve-sites.js';
import { ManualTimers } from '../../../src/runtime/manual-timers.js';
import { loadStateFile, writeStateFile } from '../../../src/daemon/uplinks/state-file.js';

describe('check-site resolution', () => {
  it('keeps addresses, resolves names once, and keeps failures as silent sites', async () => {
    const asked: string[] = [];
    const { resolved, failures } = await resolveCheckSites(
      ['203.0.113.10', 'check.example', 'gone.example', 'v6.example', 'slow.example'],
      async (name) => {
        asked.push(name);
        if (name === 'check.example') return '203.0.113.20';
        if (name === 'v6.example') return '2001:db8::1';
        if (name === 'slow.example') return new Promise<string>(() => undefined);
        throw new Error('ENOTFOUND');
      },
      50,
    );
    expect(asked.sort()).toEqual(['check.example', 'gone.example', 'slow.example', 'v6.example']);
    expect(resolved).toEqual([
      { site: '203.0.113.10', address: '203.0.113.10' },
      { site: 'check.example', address: '203.0.113.20' },
      { site: 'gone.example', address: null },
      { site: 'v6.example', address: null },
      { site: 'slow.example', address: null },
    ]);
    expect(failures.map((f) => f.site)).toEqual(['gone.example', 'v6.example', 'slow.example']);
    expect(failures[2]?.reason).toBe('no answer within 50 ms');
  });
});

describe('check sites re-resolved on a schedule', () => {
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };

  it('a name that does not resolve at start is retried (1 s, doubling) and counts once it does', async () => {
    const timers = new ManualTimers();
    let dnsUp = false;
    const asked: number[] = [];
    const logs: string[] = [];
    const resolver = new SiteResolver({
      timers,
      intervalMs: () => 60_000,
      lookupHost: async () => {
        asked.push(timers.now());
        if (!dnsUp) throw new Error('EAI_AGAIN');
        return '203.0.113.20';
      },
      log: (message, fields) => void logs.push(`${message.level} ${formatLogMessage(message, fields)}`),
    });
    await resolver.configure(['203.0.113.10', 'check.example']);
    expect(resolver.sites()).toEqual([
      { site: '203.0.113.10', address: '203.0.113.10' },
      { site: 'check.example', address: null },
    ]);
    await timers.advanceAsync(7_500, settle);
    expect(asked).toEqual([0, 1000, 3000, 7000]);
    dnsUp = true;
    await timers.advanceAsync(8_000, settle);
    expect(asked).toEqual([0, 1000, 3000, 7000, 15000]);
    expect(resolver.sites()[1]).toEqual({ site: 'check.example', address: '203.0.113.20' });
    // Once resolved: again every interval, and a failing re-resolution keeps the last answer.
    dnsUp = false;
    await timers.advanceAsync(60_000, settle);
    expect(asked.at(-1)).toBe(75_000);
    expect(resolver.sites()[1]?.address).toBe('203.0.113.20');
    expect(logs).toEqual([
      'warn check site check.example does not resolve (EAI_AGAIN); it counts as not answering until it does',
      'info check site check.example resolves to 203.0.113.20',
      'warn check site check.example does not resolve (EAI_AGAIN); keeping its last address 203.0.113.20',
    ]);
    resolver.stop();
    expect(timers.size()).toBe(0);
  });
});

describe('the switch log path', () => {
  it("expands $LOGS_DIRECTORY (systemd's LogsDirectory=), falling back to /var/log/vrrpd", () => {
    expect(expandLogPath('$LOGS_DIRECTORY/netgwm.log', { LOGS_DIRECTORY: '/var/log/vrrpd:/var/log/x' })).toBe(
      '/var/log/vrrpd/netgwm.log',
    );
    expect(expandLogPath('$LOGS_DIRECTORY/netgwm.log', {})).toBe('/var/log/vrrpd/netgwm.log');
    expect(expandLogPath('$LOGS_DIRECTORY/netgwm.log', { LOGS_DIRECTORY: '/tmp/t' })).toBe(
      '/tmp/t/netgwm.log',
    );
    expect(expandLogPath('/var/log/netgwm.log', { LOGS_DIRECTORY: '/tmp/t' })).toBe('/var/log/netgwm.log');
  });
});

describe("NetGWM's status files", () => {
  it('formats the per-gateway line as NetGWM does (first answering site, ping-style average) and gwstore.yml as PyYAML', () => {
    expect(
      answeringSiteLine({
        gatewayId: 'op1',
        sites: [
          { site: '203.0.113.10', sent: 2, received: 0, rttMs: null },
          { site: 'check.example', sent: 2, received: 1, rttMs: 12.34567 },
        ],
      }),
    ).toBe('up:check.example:12.346');
    expect(
      answeringSiteLine({ gatewayId: 'op1', sites: [{ site: 's', sent: 1, received: 0, rttMs: null }] }),
    ).toBeNull();
    expect(
      gwstoreText(
        new Map<string, number | null>([
          ['operator2', null],
          ['operator1', 1_500_000_000_123],
          ['my gw', 1_500_000_000_000],
          ['yes', null],
        ]),
      ),
    ).toBe(
      'my gw: {wakeuptime: 1500000000.0}\noperator1: {wakeuptime: 1500000000.123}\noperator2: {wakeuptime: null}\n"yes": {wakeuptime: null}\n',
    );
  });
});

describe('files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vrrpd-uplink-files-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists post-replace.d executables in name order, following symlinks, skipping the rest', async () => {
    for (const [name, mode] of [
      ['b-hook', 0o755],
      ['a-hook', 0o700],
      ['c-data', 0o644],
      ['d-group-only', 0o610],
    ] as const) {
      await writeFile(join(dir, name), '#!/bin/sh\n');
      await chmod(join(dir, name), mode);
    }
    await symlink(join(dir, 'b-hook'), join(dir, 'e-link'));
    await symlink(join(dir, 'missing'), join(dir, 'f-dangling'));
    expect(await listHookExecutables(dir)).toEqual([
      join(dir, 'a-hook'),
      join(dir, 'b-hook'),
      join(dir, 'e-link'),
    ]);
    expect(await listHookExecutables(join(dir, 'absent'))).toEqual([]);
  });

  it("writes NetGWM's status files when they change, skipping ids that cannot be file names", async () => {
    const files = new NetgwmStatusFiles(() => join(dir, 'run'), new UplinkReporter('ISP', silentLogger));
    const up = { ...initialHealth('op1'), state: 'UP' as const, streakSince: 1000, healthySince: 1000 };
    const down = { ...initialHealth('op2'), state: 'DOWN' as const };
    const odd = { ...initialHealth('a/b'), state: 'DOWN' as const };
    files.update(
      [{ gatewayId: 'op1', sites: [{ site: '203.0.113.10', sent: 1, received: 1, rttMs: 0.5 }] }],
      [up, down, odd],
      (t) => t + 1_500_000_000_000,
    );
    await files.idle();
    expect((await readdir(join(dir, 'run'))).sort()).toEqual(['gwstore.yml', 'op1', 'op2']);
    expect(await readFile(join(dir, 'run', 'op1'), 'utf8')).toBe('up:203.0.113.10:0.500');
    expect(await readFile(join(dir, 'run', 'op2'), 'utf8')).toBe('down');
    expect(await readFile(join(dir, 'run', 'gwstore.yml'), 'utf8')).toBe(
      'a/b: {wakeuptime: null}\nop1: {wakeuptime: 1500000001.0}\nop2: {wakeuptime: null}\n',
    );
  });

  it('writes the state file atomically and reads it back; a damaged file is reported, not thrown', async () => {
    const path = join(dir, 'nested', 'uplinks.json');
    expect(await loadStateFile(path)).toEqual({ kind: 'absent' });
    const state = { version: 1 as const, active: 'operator2', flapping: { operator1: 1_700_000_000_000 } };
    await writeStateFile(path, state, 1_700_000_000_500);
    expect(await loadStateFile(path)).toEqual({ kind: 'loaded', state });
    expect(await readdir(join(dir, 'nested'))).toEqual(['uplinks.json']);
    expect(JSON.parse(await readFile(path, 'utf8')).savedAt).toBe('2023-11-14T22:13:20.500Z');
    await writeFile(path, '{"version":');
    expect(await loadStateFile(path)).toMatchObject({ kind: 'unusable' });
  });
});
