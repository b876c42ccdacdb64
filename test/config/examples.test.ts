// The shipped examples must parse with zero errors and say what their comments promise: the two
// routers of the seed article (unicast, PASS authentication, notify script, 192.0.2.254/24 on the
// LAN interface, priorities 200/50), the sync-group example for both config ids, and the uplinks
// example (three operators in netgwm.yml, an uplink_group following the gateway instance).
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configTest, netgwmConfigTest } from '../../src/cli/config-commands.js';
import type { ConfigFileSource } from '../../src/config/language/file-source.js';
import { loadConfig, nodeFileSource } from '../../src/daemon/config-files.js';

const examples = (path: string): string => fileURLToPath(new URL(`../../examples/${path}`, import.meta.url));

function router(n: 1 | 2) {
  const result = loadConfig({ file: examples(`router${n}/keepalived.conf`), configId: `router${n}` });
  expect(result.diagnostics).toEqual([]);
  expect(result.config.instances).toHaveLength(1);
  return { result, gateway: result.config.instances[0] as NonNullable<(typeof result.config.instances)[0]> };
}

describe('examples/router1 and examples/router2 (the seed article’s pair)', () => {
  it('router 1 is the preferred MASTER of 192.0.2.254 and talks unicast to router 2', () => {
    const { result, gateway } = router(1);
    expect(gateway).toMatchObject({
      name: 'GATEWAY',
      state: 'MASTER',
      interface: 'eth1',
      vrid: 1,
      priority: 200,
      advertIntervalCs: 100,
      preempt: true,
      authType: 'PASS',
      authPass: 's3cret01',
      unicastSrcIp: '192.0.2.1',
      unicastPeers: ['192.0.2.2'],
    });
    expect(gateway.vips.map((v) => [v.address, v.prefix, v.dev])).toEqual([['192.0.2.254', 24, 'eth1']]);
    expect(gateway.notify.any?.argv).toEqual(['/etc/vrrpd/keep.sh']);
    expect(result.config.globals).toMatchObject({ routerId: 'router1', enableScriptSecurity: true });
    expect(result.config.globals.shutdownScript?.argv).toEqual(['/etc/vrrpd/keepdown.sh']);
  });

  it('router 2 is the BACKUP with priority 50 and the mirror-image unicast addresses', () => {
    const { gateway } = router(2);
    expect(gateway).toMatchObject({
      state: 'BACKUP',
      priority: 50,
      vrid: 1,
      authPass: 's3cret01',
      unicastSrcIp: '192.0.2.2',
      unicastPeers: ['192.0.2.1'],
    });
    expect(gateway.vips.map((v) => `${v.address}/${v.prefix}`)).toEqual(['192.0.2.254/24']);
    expect(gateway.notify.any?.argv).toEqual(['/etc/vrrpd/keep.sh']);
  });

  it('the two routers agree on everything VRRP requires them to agree on', () => {
    const one = router(1).gateway;
    const two = router(2).gateway;
    for (const field of [
      'vrid',
      'advertIntervalCs',
      'version',
      'authType',
      'authPass',
      'interface',
    ] as const) {
      expect(two[field], field).toEqual(one[field]);
    }
    expect(two.vips.map((v) => v.address)).toEqual(one.vips.map((v) => v.address));
  });
});

describe('examples/dual-stack', () => {
  for (const [configId, priority] of [
    ['router1', 200],
    ['router2', 100],
  ] as const) {
    it(`reads for ${configId}: an IPv4 (v2) and an IPv6 (v3, 0.1 s) instance in one sync group`, () => {
      const result = loadConfig({ file: examples('dual-stack/keepalived.conf'), configId });
      expect(result.diagnostics).toEqual([]);
      expect(
        result.config.instances.map((i) => [
          i.name,
          i.family,
          i.version,
          i.priority,
          i.advertIntervalCs,
          i.vips[0]?.address,
        ]),
      ).toEqual([
        ['LAN4', 'ipv4', 2, priority, 100, '192.0.2.254'],
        ['LAN6', 'ipv6', 3, priority, 10, '2001:db8::254'],
      ]);
      expect(result.config.syncGroups).toMatchObject([{ name: 'LAN', instances: ['LAN4', 'LAN6'] }]);
    });
  }
});

describe('examples/sync-group', () => {
  for (const [configId, state, priority] of [
    ['router1', 'BACKUP', 150],
    ['router2', 'BACKUP', 100],
  ] as const) {
    it(`reads for ${configId}`, () => {
      const result = loadConfig({ file: examples('sync-group/keepalived.conf'), configId });
      expect(result.diagnostics).toEqual([]);
      expect(result.config.globals.routerId).toBe(configId);
      expect(result.config.instances.map((i) => [i.name, i.state, i.priority, i.vips[0]?.address])).toEqual([
        ['LAN', state, priority, '192.0.2.254'],
        ['WAN', state, priority, '198.51.100.254'],
      ]);
      expect(result.config.syncGroups).toMatchObject([
        {
          name: 'GATEWAY',
          instances: ['LAN', 'WAN'],
          trackScripts: [{ name: 'uplink_alive', weight: null }],
        },
      ]);
      expect(result.config.scripts[0]).toMatchObject({
        name: 'uplink_alive',
        weight: -60,
        fall: 3,
        rise: 2,
        script: { argv: ['/usr/bin/ping', '-c', '1', '-W', '1', '198.51.100.1'] },
      });
    });
  }
});

describe('examples/uplinks', () => {
  // The files as installed: keepalived.conf names /etc/netgwm/netgwm.yml.
  const installed: ConfigFileSource = {
    readFile: (path) =>
      nodeFileSource().readFile(path === '/etc/netgwm/netgwm.yml' ? examples('uplinks/netgwm.yml') : path),
    listDirectory: (path) => nodeFileSource().listDirectory(path),
  };

  it('netgwm.yml: the three operators of the article, checked alone with zero diagnostics', () => {
    const outcome = netgwmConfigTest({ file: examples('uplinks/netgwm.yml') });
    expect(outcome.lines).toEqual([`${examples('uplinks/netgwm.yml')}: configuration OK`]);
    expect(outcome.config?.gateways).toEqual([
      { id: 'operator1', ip: '198.51.100.1', dev: 'eth1', priority: 1 },
      { id: 'operator2', ip: '198.51.100.17', dev: 'eth2', priority: 2 },
      { id: 'operator3', ip: '198.51.100.33', dev: 'eth3', priority: 3 },
    ]);
    expect(outcome.config).toMatchObject({
      minUptimeSeconds: 900,
      checkSites: ['203.0.113.10', '203.0.113.20'],
      mode: null,
      fall: 3,
      rise: 2,
      conntrackFlush: 'udp',
      postReplaceDir: '/etc/netgwm/post-replace.d',
      logFile: '$LOGS_DIRECTORY/netgwm.log',
    });
  });

  for (const [configId, state, other] of [
    ['router1', 'MASTER', '192.0.2.2'],
    ['router2', 'BACKUP', '192.0.2.1'],
  ] as const) {
    it(`keepalived.conf (${configId}) follows the gateway instance, its yml read too, zero diagnostics`, () => {
      const outcome = configTest({ file: examples('uplinks/keepalived.conf'), configId, files: installed });
      expect(outcome.result.diagnostics).toEqual([]);
      expect(outcome.exitCode).toBe(0);
      const { config, uplinks } = outcome.result;
      expect(config.instances.map((i) => [i.name, i.state, i.unicastPeers])).toEqual([
        ['GATEWAY', state, [other]],
      ]);
      expect(config.uplinkGroups).toMatchObject([
        {
          name: 'OPERATORS',
          configPath: '/etc/netgwm/netgwm.yml',
          follow: { kind: 'instance', name: 'GATEWAY' },
          onLeaveMaster: { kind: 'fallback', via: other, dev: 'eth0' },
        },
      ]);
      expect(uplinks.map((u) => u.config.gateways.length)).toEqual([3]);
    });
  }

  it('ships the post-replace.d hook of the article, executable, reading the six arguments', () => {
    const hook = examples('uplinks/post-replace.d/50-notify');
    expect(() => accessSync(hook, constants.X_OK)).not.toThrow();
    const text = readFileSync(hook, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).toContain(`[ "$4" = 'NaN' ] && [ "$5" = 'NaN' ]`);
  });
});

describe('examples/scripts', () => {
  const scripts = readdirSync(examples('scripts'));

  it('ships the seed article’s notify scripts, executable', () => {
    expect(scripts.sort()).toEqual(['keep.sh', 'keepdown.sh', 'keepup.sh']);
    for (const script of scripts) {
      expect(() => accessSync(examples(`scripts/${script}`), constants.X_OK), script).not.toThrow();
      expect(readFileSync(examples(`scripts/${script}`), 'utf8').startsWith('#!/bin/sh\n'), script).toBe(
        true,
      );
    }
  });

  it('uses only documentation addresses (RFC 5737)', () => {
    for (const file of [
      ...scripts.map((s) => `scripts/${s}`),
      'router1/keepalived.conf',
      'router2/keepalived.conf',
      'sync-group/keepalived.conf',
      'uplinks/keepalived.conf',
      'uplinks/netgwm.yml',
      'uplinks/post-replace.d/50-notify',
      'uplinks/event.d/50-log',
    ]) {
      const text = readFileSync(examples(file), 'utf8');
      for (const [address] of text.matchAll(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g)) {
        expect(address, `${file}: ${address}`).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\./);
      }
    }
  });

  it('dispatches on the state argument keepalived passes to notify scripts', () => {
    const keep = readFileSync(examples('scripts/keep.sh'), 'utf8');
    expect(keep).toContain('STATE=$3');
    expect(keep).toMatch(/MASTER\)\s+exec \/etc\/vrrpd\/keepup\.sh/);
    expect(keep).toMatch(/BACKUP \| FAULT \| STOP\)\s+exec \/etc\/vrrpd\/keepdown\.sh/);
  });
});
