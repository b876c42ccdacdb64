// VRRPv3 over IPv6 through the daemon (issue 12), on the deterministic lab: adverts from the
// link-local address to ff02::12, election, failover, unsolicited Neighbor Advertisements
// instead of gratuitous ARP, an instance waiting for its link-local address to leave DAD, and
// an IPv6 address excluded from an IPv4 instance.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { statusSnapshot } from '../../src/daemon/status.js';
import { ETH0_INDEX, Lab } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A4 = '192.0.2.1';
const B4 = '192.0.2.2';
const A6 = 'fe80::a';
const B6 = 'fe80::b';
const VIP6 = '2001:db8::254';

function v6Instance(priority: number, extra = ''): string {
  return `
vrrp_instance VI_6 {
  state BACKUP
  interface eth0
  virtual_router_id 60
  priority ${priority}
  advert_int 0.1
  virtual_ipaddress {
    2001:DB8:0::254/64
  }
${extra}
}
`;
}

describe('IPv6 instances', () => {
  it('elect over ff02::12 from their link-local addresses; the master adds the VIP (nodad) and sends NAs', async () => {
    const lab = new Lab();
    const a = lab.router(A4, { linkLocal: A6 });
    const b = lab.router(B4, { linkLocal: B6 });
    await a.start(v6Instance(200));
    await b.start(v6Instance(100));
    await lab.advance(1000);
    expect(a.state('VI_6')).toBe('MASTER');
    expect(b.state('VI_6')).toBe('BACKUP');
    // The configured text was canonicalised: the kernel and the adverts carry 2001:db8::254.
    expect(a.hasAddress(VIP6)).toBe(true);
    expect(a.neighborAdverts.length).toBeGreaterThanOrEqual(5);
    expect(a.neighborAdverts.every((n) => n.vip === VIP6 && n.vipPresent)).toBe(true);
    expect(a.garps).toEqual([]);
    expect(lab.advertsFrom(A6).length).toBeGreaterThan(3);
    expect(statusSnapshot(b.daemon).instances[0]).toMatchObject({
      state: 'BACKUP',
      masterAddress: A6,
      version: 3,
      vips: ['2001:db8::254/64'],
    });
    expect(b.counters('VI_6')?.advertsRx).toBeGreaterThan(3);
    expect(b.counters('VI_6')?.drops).toEqual({});
    // Failover: a stops (make before break), b takes over and announces the VIP.
    void a.daemon.stop();
    await lab.advance(1500);
    expect(b.state('VI_6')).toBe('MASTER');
    expect(b.hasAddress(VIP6)).toBe(true);
    expect(a.hasAddress(VIP6)).toBe(false);
    expect(b.neighborAdverts.length).toBeGreaterThanOrEqual(5);
  });

  it('waits in FAULT while its link-local address is tentative, then runs once DAD is over', async () => {
    const lab = new Lab();
    const a = lab.router(A4, { linkLocal: A6, linkLocalTentative: true });
    await a.start(v6Instance(200));
    await lab.advance(1000);
    expect(a.state('VI_6')).toBe('FAULT');
    expect(a.transports6).toHaveLength(0);
    // DAD completes: the kernel reports the address again without the tentative flag.
    const entry = { ifindex: ETH0_INDEX, address: A6, prefixLength: 64, scope: 253, secondary: false };
    a.netlink.addressTable.set(`${ETH0_INDEX}/${A6}/64`, entry);
    a.events.emit({ kind: 'address', address: entry, removed: false });
    await lab.advance(1000);
    expect(a.transports6).toHaveLength(1);
    expect(a.state('VI_6')).toBe('MASTER');
    expect(a.logsWith('code', 'VRRPD_SOURCE_ADDRESS')).toHaveLength(1);
  });

  it('an IPv4 instance may exclude an IPv6 address: added and removed with the IPv4 VIP, never advertised', async () => {
    const lab = new Lab();
    const a = lab.router(A4, { linkLocal: A6 });
    await a.start(`
vrrp_instance VI_4 {
  interface eth0
  virtual_router_id 40
  priority 150
  virtual_ipaddress {
    192.0.2.254/24
  }
  virtual_ipaddress_excluded {
    2001:db8::40/64
  }
}
`);
    await lab.advance(4000);
    expect(a.state('VI_4')).toBe('MASTER');
    expect(a.hasAddress('192.0.2.254')).toBe(true);
    expect(a.hasAddress('2001:db8::40')).toBe(true);
    expect(a.neighborAdverts.map((n) => n.vip)).toContain('2001:db8::40');
    await a.daemon.stop({ immediate: true });
    expect(a.hasAddress('2001:db8::40')).toBe(false);
  });
});

describe('IPv6 virtual routes and rules', () => {
  it('a MASTER installs inet6 routes and rules (default route included) and removes them when it leaves', async () => {
    const lab = new Lab();
    const a = lab.router(A4, { linkLocal: A6 });
    await a.start(
      v6Instance(
        200,
        `  virtual_routes {
    default via 2001:db8::1 dev eth0
    2001:db8:5::/64 via 2001:db8::2
  }
  virtual_rules {
    from 2001:db8:6::/64 table 100
  }`,
      ),
    );
    await lab.advance(1000);
    expect(a.state('VI_6')).toBe('MASTER');
    const ops = a.netlink.operations.map((o) => `${o.op} ${JSON.stringify(o.spec)}`);
    expect(
      ops.some(
        (o) => o.startsWith('replaceRoute') && o.includes('"destination":"::"') && o.includes('2001:db8::1'),
      ),
    ).toBe(true);
    expect(ops.some((o) => o.startsWith('replaceRoute') && o.includes('2001:db8:5::'))).toBe(true);
    expect(ops.some((o) => o.startsWith('addRule') && o.includes('2001:db8:6::'))).toBe(true);
    await a.daemon.stop({ immediate: true });
    const after = a.netlink.operations.map((o) => `${o.op} ${JSON.stringify(o.spec)}`);
    expect(after.some((o) => o.startsWith('removeRoute') && o.includes('"destination":"::"'))).toBe(true);
    expect(after.some((o) => o.startsWith('removeRule') && o.includes('2001:db8:6::'))).toBe(true);
  });
});

describe('dual stack', () => {
  it('an IPv4 and an IPv6 instance in one sync group move together (examples/dual-stack)', async () => {
    const config = (priority: number) => `
vrrp_sync_group LAN {
  group {
    LAN4
    LAN6
  }
}
vrrp_instance LAN4 {
  interface eth0
  virtual_router_id 4
  priority ${priority}
  virtual_ipaddress {
    192.0.2.254/24
  }
}
vrrp_instance LAN6 {
  interface eth0
  virtual_router_id 6
  priority ${priority}
  advert_int 0.1
  virtual_ipaddress {
    2001:db8::254/64
  }
}
`;
    const lab = new Lab();
    const a = lab.router(A4, { linkLocal: A6 });
    const b = lab.router(B4, { linkLocal: B6 });
    await a.start(config(200));
    await b.start(config(100));
    await lab.advance(5000);
    expect([a.state('LAN4'), a.state('LAN6'), b.state('LAN4'), b.state('LAN6')]).toEqual([
      'MASTER',
      'MASTER',
      'BACKUP',
      'BACKUP',
    ]);
    expect(a.hasAddress('192.0.2.254') && a.hasAddress(VIP6)).toBe(true);
    // A planned handover of one member moves the whole group to b, make before break.
    await a.daemon.requests.handover({ instances: ['LAN6'], by: 'test', reason: 'dual stack' });
    await lab.advance(5000);
    expect([b.state('LAN4'), b.state('LAN6')]).toEqual(['MASTER', 'MASTER']);
    expect([a.state('LAN4'), a.state('LAN6')]).toEqual(['BACKUP', 'BACKUP']);
    expect(b.hasAddress('192.0.2.254') && b.hasAddress(VIP6)).toBe(true);
    expect(a.hasAddress('192.0.2.254') || a.hasAddress(VIP6)).toBe(false);
    await a.daemon.stop({ immediate: true });
    await b.daemon.stop({ immediate: true });
  });
});

describe('VRRPv2 over IPv6 (non-standard, as keepalived runs it)', () => {
  it('elects with version 2 adverts over IPv6 and whole-second intervals', async () => {
    const lab = new Lab();
    const a = lab.router(A4, { linkLocal: A6 });
    const b = lab.router(B4, { linkLocal: B6 });
    const config = (priority: number) =>
      v6Instance(priority).replace('  advert_int 0.1', '  advert_int 1\n  version 2');
    await a.start(config(200));
    await b.start(config(100));
    await lab.advance(5000);
    expect([a.state('VI_6'), b.state('VI_6')]).toEqual(['MASTER', 'BACKUP']);
    expect(statusSnapshot(b.daemon).instances[0]).toMatchObject({ version: 2, masterAddress: A6 });
    expect(b.counters('VI_6')?.drops).toEqual({});
  });
});
