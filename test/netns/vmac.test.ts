// use_vmac on a real kernel, two vrrpd routers and a client (issue 13): the master's VIP lives on
// its VMAC, so the client resolves it to 00:00:5e:00:01:33 (RFC 3768 §7.3) and keeps that entry
// across failover while pings go on; a stopped router leaves no VMAC behind and its sysctls as
// they were before it started.

import { beforeAll, describe, expect, it } from 'vitest';
import { holdsAddress, keepalivedConfig, waitForState, type RunningDaemon } from '../lab/daemons.js';
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
    expect(await holdsAddress(lab, 'r2', VMAC, VIP)).toBe(true);
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
