// use_vmac on a real kernel, two vrrpd routers and a client (issue 13): the master's VIP lives on
// its VMAC, so the client resolves it to 00:00:5e:00:01:33 (RFC 3768 §7.3) and keeps that entry
// across failover while pings go on; a stopped router leaves no VMAC behind and its sysctls as
// they were before it started.

import { beforeAll, describe, expect, it } from 'vitest';
import {
  holdsAddress,
  instanceStatus,
  keepalivedConfig,
  waitForState,
  type RunningDaemon,
} from '../lab/daemons.js';
import { useSegmentLab } from '../lab/fixture.js';
import type { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';

const skip = requireRoot();
const VIP = '192.0.2.254';
const VMAC = 'vrrp.51';
const VIRTUAL_MAC = '00:00:5e:00:01:33';
const KEYS = ['arp_ignore', 'arp_filter', 'arp_announce', 'rp_filter', 'accept_local', 'promote_secondaries'];

/** The IPv4 sysctls keepalived's use_vmac touches, on all, default and eth0, as "key=value". */
async function sysctls(lab: Lab, role: string): Promise<string[]> {
  const paths = ['all', 'default', 'eth0'].flatMap((ifname) =>
    KEYS.map((key) => `/proc/sys/net/ipv4/conf/${ifname}/${key}`),
  );
  const { stdout } = await lab.exec(role, ['grep', '-H', '', ...paths]);
  return stdout.trim().split('\n').sort();
}

async function linkNames(lab: Lab, role: string): Promise<string[]> {
  const { stdout } = await lab.ip(role, ['-j', 'link', 'show']);
  return (JSON.parse(stdout || '[]') as Array<{ ifname: string }>).map((l) => l.ifname);
}

describe.skipIf(skip !== undefined)('use_vmac with two vrrpd routers on a real kernel', () => {
  const fixture = useSegmentLab({ dist: ['src', 'test/lab'] });
  const before = new Map<string, string[]>();
  let r1: RunningDaemon;
  let r2: RunningDaemon;
  const config = (priority: number) =>
    keepalivedConfig([{ priority, authPass: 'secret1', extra: ['use_vmac'] }]);

  beforeAll(async () => {
    const { lab } = fixture;
    for (const role of ['r1', 'r2']) before.set(role, await sysctls(lab, role));
    r1 = fixture.daemons.start('vrrpd', 'r1', config(200));
    r2 = fixture.daemons.start('vrrpd', 'r2', config(100));
  });

  it('the master holds the VIP on vrrp.51 and the client resolves it to the virtual MAC', async () => {
    const { lab } = fixture;
    expect(await waitForState(r1, 'MASTER', 6000)).not.toBeNull();
    expect(await waitForState(r2, 'BACKUP', 1000)).not.toBeNull();
    // r2 hears r1's adverts (from the same virtual MAC as its own VMAC) and stays BACKUP past
    // its Master_Down_Interval.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await instanceStatus(r2))?.state).toBe('BACKUP');
    expect((await instanceStatus(r1))?.vmacs).toEqual([{ name: VMAC, base: 'eth0', mac: VIRTUAL_MAC }]);
    expect(await lab.macOf('r1', VMAC)).toBe(VIRTUAL_MAC);
    expect(await lab.macOf('r2', VMAC)).toBe(VIRTUAL_MAC);
    const { stdout } = await lab.ip('r1', ['-d', 'link', 'show', 'dev', VMAC]);
    expect(stdout).toContain('macvlan mode private');
    expect(await holdsAddress(lab, 'r1', VMAC, VIP)).toBe(true);
    expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(false);
    expect(await lab.pingOnce('c1', VIP, 1000)).toBe(true);
    expect(await lab.neighbourMac('c1', VIP)).toBe(VIRTUAL_MAC);
    // keepalived's settings while the VMAC exists (and vrrpd's arp_announce 2 on the base).
    const { stdout: set } = await lab.exec('r1', [
      'grep',
      '-H',
      '',
      `/proc/sys/net/ipv4/conf/${VMAC}/arp_ignore`,
      `/proc/sys/net/ipv4/conf/${VMAC}/rp_filter`,
      '/proc/sys/net/ipv4/conf/eth0/arp_ignore',
      '/proc/sys/net/ipv4/conf/eth0/arp_filter',
      '/proc/sys/net/ipv4/conf/eth0/arp_announce',
    ]);
    expect(
      set
        .trim()
        .split('\n')
        .map((l) => l.replace(/^.*conf\//, '')),
    ).toEqual([
      `${VMAC}/arp_ignore:1`,
      `${VMAC}/rp_filter:0`,
      'eth0/arp_ignore:1',
      'eth0/arp_filter:1',
      'eth0/arp_announce:2',
    ]);
  });

  it('stopping the master: r2 takes over, the client keeps 00:00:5e:00:01:33 and its pings answered', async () => {
    const { lab } = fixture;
    expect(await fixture.daemons.stop(r1, 'SIGTERM')).toBe(0);
    expect(await waitForState(r2, 'MASTER', 4000)).not.toBeNull();
    // The VIP lands on r2's VMAC just after the transition (bounded wait).
    let held = false;
    for (let i = 0; i < 40 && !held; i++) {
      held = await holdsAddress(lab, 'r2', VMAC, VIP);
      if (!held) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(held).toBe(true);
    // During its make-before-break release the old master still holds the VIP on its VMAC when
    // the new master's GARPs (ARP requests from the same virtual MAC) arrive. Its replies, from
    // the virtual MAC, would pull the switch's entry back to its port until the new master's next
    // advert, losing the first echo; so it answers no ARP meanwhile (arp_ignore 8, checked on the
    // fake kernel in test/daemon/daemon-vmac.test.ts). The loss was intermittent before that
    // change, so one retry is still allowed here.
    let first = false;
    for (let i = 0; i < 2 && !first; i++) first = await lab.pingOnce('c1', VIP, 1000);
    expect(first).toBe(true);
    let answered = 0;
    for (let i = 0; i < 3; i++) if (await lab.pingOnce('c1', VIP, 1000)) answered++;
    expect(answered).toBe(3);
    expect(await lab.neighbourMac('c1', VIP)).toBe(VIRTUAL_MAC);
  });

  it('the stopped router left no VMAC and its sysctls as they were', async () => {
    const { lab } = fixture;
    expect(await linkNames(lab, 'r1')).not.toContain(VMAC);
    expect(await sysctls(lab, 'r1')).toEqual(before.get('r1'));
  });

  it('and so does the second one', async () => {
    const { lab } = fixture;
    expect(await fixture.daemons.stop(r2, 'SIGTERM')).toBe(0);
    expect(await linkNames(lab, 'r2')).not.toContain(VMAC);
    expect(await sysctls(lab, 'r2')).toEqual(before.get('r2'));
  });
});

describe.skipIf(skip !== undefined)('use_vmac on an IPv6 instance (VRRPv3) on a real kernel', () => {
  const fixture = useSegmentLab({ dist: ['src', 'test/lab'], ipv6: true });
  const VIP6 = '2001:db8::254';
  const VIRTUAL_MAC6 = '00:00:5e:00:02:33';
  let r1: RunningDaemon;
  let r2: RunningDaemon;
  const config = (priority: number) =>
    keepalivedConfig([{ priority, version: 3, advertInt: 0.5, vips: [`${VIP6}/64`], extra: ['use_vmac'] }]);

  beforeAll(async () => {
    r1 = fixture.daemons.start('vrrpd', 'r1', config(200));
    r2 = fixture.daemons.start('vrrpd', 'r2', config(100));
  });

  it('adverts leave from the VMAC (its link-local source put there): r2 hears them on its VMAC and stays BACKUP', async () => {
    const { lab } = fixture;
    expect(await waitForState(r1, 'MASTER', 6000)).not.toBeNull();
    expect(await waitForState(r2, 'BACKUP', 1000)).not.toBeNull();
    expect(await lab.macOf('r1', VMAC)).toBe(VIRTUAL_MAC6);
    const { stdout } = await lab.ip('r1', ['-j', '-6', 'addr', 'show', 'dev', VMAC]);
    const local = (JSON.parse(stdout) as Array<{ addr_info: Array<{ local: string }> }>)[0]?.addr_info.map(
      (a) => a.local,
    );
    expect(local?.some((a) => a.startsWith('fe80::'))).toBe(true);
    expect(local).toContain(VIP6);
    // Two more seconds (four advert intervals) without r2 taking over.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await instanceStatus(r2))?.state).toBe('BACKUP');
    expect(await lab.pingOnce('c1', VIP6, 1000)).toBe(true);
    expect(await lab.neighbourMac('c1', VIP6)).toBe(VIRTUAL_MAC6);
  });

  it('failover to r2: the client keeps 00:00:5e:00:02:33', async () => {
    const { lab } = fixture;
    expect(await fixture.daemons.stop(r1, 'SIGTERM')).toBe(0);
    expect(await waitForState(r2, 'MASTER', 3000)).not.toBeNull();
    // As for IPv4: the first echo may be lost during the old master's release.
    let first = false;
    for (let i = 0; i < 3 && !first; i++) first = await lab.pingOnce('c1', VIP6, 1000);
    expect(first).toBe(true);
    expect(await lab.pingOnce('c1', VIP6, 1000)).toBe(true);
    expect(await lab.neighbourMac('c1', VIP6)).toBe(VIRTUAL_MAC6);
    expect(await linkNames(lab, 'r1')).not.toContain(VMAC);
  });
});
