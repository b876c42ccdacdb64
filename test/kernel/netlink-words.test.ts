// keepalived's address, route and rule words on a real kernel: a config using a representative set
// of them is read, turned into rtnetlink requests the way the daemon turns it (addressSpecOf,
// routeSpecOf, ruleSpecOf), installed from inside a namespace this test creates, read back with
// `ip -d -j … show`, and removed with the same specs, as the daemon removes them when it stops
// being MASTER or stops. Only documentation prefixes, nothing routed out of the namespace.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config.js';
import type { InstanceModel } from '../../src/config/model/types.js';
import { addressSpecOf, routeSpecOf, ruleSpecOf } from '../../src/daemon/virtual-resources.js';
import { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import type { JsonLinesChild } from '../lab/json-lines.js';
import { startKernelAgent } from './agent/agent-client.js';

const skip = requireRoot();

const CONFIG = `
vrrp_instance VI_WORDS {
  interface eth0
  virtual_router_id 61
  virtual_ipaddress {
    192.0.2.50 peer 192.0.2.51 dev eth0
    192.0.2.60/24 noprefixroute dev eth0
  }
  virtual_ipaddress_excluded {
    2001:db8::60/64 home -nodad mngtmpaddr noprefixroute preferred_lft 30 dev eth0
    2001:db8::61/128 dev eth0
  }
  virtual_routes {
    unreachable 198.51.100.0/26 table 100 no_track
    prohibit 198.51.100.64/26 table 100 no_track
    throw 198.51.100.128/26 table 100 no_track
    198.51.100.192/27 via 192.0.2.1 dev eth0 table 100 tos 0x10 mtu lock 1400 advmss 1360 rtt 300ms initcwnd 10 congctl reno features ecn hoplimit 64
    2001:db8:1::/48 via 2001:db8::1 dev eth0 pref high
    203.0.113.0/26 dev eth0 encap ip id 10 dst 198.51.100.9 tos 0x10 table 100
    203.0.113.64/26 dev eth0 encap ip6 id 11 dst 2001:db8::9 hoplimit 32 table 100
    203.0.113.128/26 table 100 nexthop via 192.0.2.1 dev eth0 encap ip id 12 dst 198.51.100.10 nexthop via 192.0.2.3 dev eth0 realms 1/2
  }
  virtual_rules {
    not from 192.0.2.0/24 table 100 priority 100
    from 192.0.2.0/24 tos 0x10 table 100 priority 101
    from 192.0.2.0/24 goto 200 priority 102
    to 198.51.100.0/24 table 100 suppress_prefixlength 0 priority 103
    uidrange 1000-2000 table 100 priority 104
    ipproto tcp sport 1000-2000 dport 80-81 table 100 priority 105
    from 192.0.2.0/24 type prohibit priority 106
    fwmark 7 blackhole priority 107
  }
}
`;

interface IpAddr {
  local: string;
  address?: string;
  prefixlen: number;
  family: string;
  noprefixroute?: boolean;
  home?: boolean;
  nodad?: boolean;
  mngtmpaddr?: boolean;
  deprecated?: boolean;
  preferred_life_time?: number;
}
interface IpRoute {
  type?: string;
  dst: string;
  encap?: string;
  id?: number;
  hoplimit?: number;
  nexthops?: Array<{ gateway: string; encap?: string; id?: number; dst?: string }>;
  gateway?: string;
  tos?: string;
  pref?: string;
  protocol?: string;
  metrics?: Array<Record<string, unknown>>;
}
interface IpRule {
  priority: number;
  not?: null;
  src?: string;
  dst?: string;
  tos?: string;
  table?: string;
  action?: string;
  goto?: number;
  suppress_prefixlen?: number;
  uid_start?: number;
  uid_end?: number;
  ipproto?: string;
  sport_start?: number;
  sport_end?: number;
  dport_start?: number;
  dport_end?: number;
  protocol?: string;
}

describe.skipIf(skip !== undefined)(
  `keepalived address, route and rule words on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const lab = new Lab();
    let agent: JsonLinesChild;
    let eth0: number;
    let instance: InstanceModel;

    const ipJson = async <T>(args: string[]): Promise<T> => {
      const { stdout } = await lab.ip('n', ['-d', '-j', ...args]);
      return JSON.parse(stdout || '[]') as T;
    };
    const addresses = async (): Promise<IpAddr[]> => {
      const [link] = await ipJson<Array<{ addr_info: IpAddr[] }>>(['addr', 'show', 'dev', 'eth0']);
      return (link?.addr_info ?? []).filter((a) => !a.local.startsWith('fe80'));
    };
    const routes = async (): Promise<IpRoute[]> => [
      ...(await ipJson<IpRoute[]>(['route', 'show', 'table', '100'])),
      ...(await ipJson<IpRoute[]>(['-6', 'route', 'show', '2001:db8:1::/48'])),
    ];
    const rules = async (): Promise<IpRule[]> =>
      (await ipJson<IpRule[]>(['rule', 'show'])).filter((r) => r.priority >= 100 && r.priority < 200);

    beforeAll(async () => {
      await lab.addNamespace('n');
      await lab.addNamespace('p');
      await lab.addVethPair('n', 'eth0', 'p', 'eth0');
      await lab.addAddress('n', 'eth0', '192.0.2.2/24');
      await lab.ip('n', ['addr', 'add', '2001:db8::2/64', 'dev', 'eth0', 'nodad']);
      eth0 = await lab.ifindexOf('n', 'eth0');
      agent = await startKernelAgent(lab, 'n');
      const parsed = parseConfigText(CONFIG, { file: 'words.conf' });
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      instance = parsed.config.instances[0] as InstanceModel;
    });

    afterAll(async () => {
      await lab.teardown();
    });

    it('installs the addresses with their peer, flags and lifetimes, and removes them', async () => {
      const specs = [...instance.vips, ...instance.excludedVips].map((vip) => addressSpecOf(vip, eth0));
      for (const spec of specs) expect(await agent.request('addresses.add', spec)).toBe('added');
      const found = await addresses();
      const by = (local: string) => found.find((a) => a.local === local);
      expect(by('192.0.2.50')).toMatchObject({ address: '192.0.2.51', prefixlen: 32 });
      expect(by('192.0.2.60')).toMatchObject({ prefixlen: 24, noprefixroute: true });
      const v6 = by('2001:db8::60');
      expect(v6).toMatchObject({
        prefixlen: 64,
        noprefixroute: true,
        home: true,
        mngtmpaddr: true,
        preferred_life_time: 30,
      });
      expect(v6?.nodad).toBeUndefined();
      // keepalived's default for a /128: deprecated (preferred lifetime 0), no DAD.
      expect(by('2001:db8::61')).toMatchObject({ prefixlen: 128, nodad: true, deprecated: true });
      // noprefixroute: no connected route for 192.0.2.60/24 beside 192.0.2.2's own.
      const connected = await ipJson<IpRoute[]>(['route', 'show', 'proto', 'kernel']);
      expect(connected.filter((r) => r.dst === '192.0.2.0/24')).toHaveLength(1);
      expect((await ipJson<IpRoute[]>(['route', 'show', '192.0.2.51'])).map((r) => r.dst)).toEqual([
        '192.0.2.51',
      ]);
      for (const spec of specs) expect(await agent.request('addresses.remove', spec)).toBe('removed');
      const left = (await addresses()).map((a) => a.local);
      expect(left.sort()).toEqual(['192.0.2.2', '2001:db8::2']);
    });

    it('installs the routes with their types, tos, metrics and pref, and removes them', async () => {
      const specs = instance.virtualRoutes.map((route) =>
        routeSpecOf(route, (name) => (name === 'eth0' ? eth0 : undefined)),
      );
      for (const spec of specs) await agent.request('routes.replace', spec);
      const found = await routes();
      const by = (dst: string) => found.find((r) => r.dst === dst);
      expect(by('198.51.100.0/26')).toMatchObject({ type: 'unreachable', protocol: 'keepalived' });
      expect(by('198.51.100.64/26')).toMatchObject({ type: 'prohibit' });
      expect(by('198.51.100.128/26')).toMatchObject({ type: 'throw' });
      const metrics = by('198.51.100.192/27');
      expect(metrics).toMatchObject({ gateway: '192.0.2.1', tos: '0x10' });
      expect(Object.assign({}, ...(metrics?.metrics ?? []))).toMatchObject({
        mtu: 1400,
        advmss: 1360,
        rtt: 300,
        initcwnd: 10,
        congestion: 'reno',
        ecn: null,
        hoplimit: 64,
      });
      // `ip -j` leaves the lock out; the text output shows it.
      const { stdout } = await lab.ip('n', ['route', 'show', 'table', '100', '198.51.100.192/27']);
      expect(stdout).toContain('mtu lock 1400');
      expect(by('2001:db8:1::/48')).toMatchObject({ gateway: '2001:db8::1', pref: 'high' });
      // encap: the text output shows the tunnel metadata (the JSON leaves most of it out).
      const { stdout: encapText } = await lab.ip('n', ['-d', 'route', 'show', 'table', '100']);
      expect(encapText).toMatch(
        /203\.0\.113\.0\/26 +encap ip id 10 src 0\.0\.0\.0 dst 198\.51\.100\.9 ttl 0 tos 16 dev eth0/,
      );
      expect(encapText).toMatch(
        /203\.0\.113\.64\/26 +encap ip6 id 11 src :: dst 2001:db8::9 hoplimit 32 tc 0 dev eth0/,
      );
      expect(encapText).toMatch(
        /nexthop +encap ip id 12 src 0\.0\.0\.0 dst 198\.51\.100\.10 ttl 0 tos 0 via 192\.0\.2\.1 dev eth0/,
      );
      expect(encapText).toMatch(/nexthop via 192\.0\.2\.3 realms 1\/2 dev eth0 weight 1/);
      for (const spec of specs) expect(await agent.request('routes.remove', spec)).toBe('removed');
      expect(await routes()).toEqual([]);
    });

    it('installs the rules with their selectors and actions, and removes them', async () => {
      const specs = instance.virtualRules.map(ruleSpecOf);
      for (const spec of specs) expect(await agent.request('rules.add', spec)).toBe('added');
      const found = await rules();
      const at = (priority: number) => found.find((r) => r.priority === priority);
      expect(found.every((r) => r.protocol === 'keepalived')).toBe(true);
      expect(at(100)).toMatchObject({ not: null, src: '192.0.2.0', table: '100' });
      expect(at(101)).toMatchObject({ tos: '0x10', table: '100' });
      expect(at(102)).toMatchObject({ goto: 200 });
      expect(at(103)).toMatchObject({ dst: '198.51.100.0', suppress_prefixlen: 0 });
      expect(at(104)).toMatchObject({ uid_start: 1000, uid_end: 2000 });
      expect(at(105)).toMatchObject({
        ipproto: 'tcp',
        sport_start: 1000,
        sport_end: 2000,
        dport_start: 80,
        dport_end: 81,
      });
      expect(at(106)).toMatchObject({ action: 'prohibit' });
      expect(at(107)).toMatchObject({ action: 'blackhole' });
      // The adapter's listing decodes them back to the specs it was given.
      const listed = await agent.request<Array<Record<string, unknown>>>('rules.list');
      for (const spec of specs) {
        expect(listed).toContainEqual(expect.objectContaining(spec as Record<string, unknown>));
      }
      for (const spec of specs) expect(await agent.request('rules.remove', spec)).toBe('removed');
      expect(await rules()).toEqual([]);
    });
  },
);
