// use_ipvlan on a real kernel, two vrrpd routers and a client: each router's L2 ipvlan carries
// its own address and the adverts (sent from that address, heard on the peer's ipvlan, which in
// L2 mode gets the multicast arriving on its base); the VIP lives on eth0, where keepalived 2.2.7
// keeps it with use_ipvlan alone (its dump: "Virtual IP ... dev eth0"); the client keeps reaching
// the VIP across failover; a stopped router leaves no ipvlan behind. Needs a kernel with the
// ipvlan driver: skipped with the reason otherwise (see requireIpvlan).

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
import { requireIpvlan } from '../lab/root.js';

const skip = requireIpvlan();
const VIP = '192.0.2.254';
const IPVLAN = 'vrrp.51';
/** Each router's ipvlan address: its adverts' source. */
const OWN: Record<string, string> = { r1: '192.0.2.11', r2: '192.0.2.12' };

async function linkNames(lab: Lab, role: string): Promise<string[]> {
  const { stdout } = await lab.ip(role, ['-j', 'link', 'show']);
  return (JSON.parse(stdout || '[]') as Array<{ ifname: string }>).map((l) => l.ifname);
}

/** Up to `tries` pings of one second each; whether one was answered. */
async function reaches(lab: Lab, address: string, tries: number): Promise<boolean> {
  for (let i = 0; i < tries; i++) if (await lab.pingOnce('c1', address, 1000)) return true;
  return false;
}

describe.skipIf(skip !== undefined)(
  `use_ipvlan with two vrrpd routers on a real kernel${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const fixture = useSegmentLab({ dist: ['src', 'test/lab'] });
    let r1: RunningDaemon;
    let r2: RunningDaemon;
    const config = (role: string, priority: number) =>
      keepalivedConfig([{ priority, extra: [`use_ipvlan ${OWN[role]}/24`] }]);

    beforeAll(async () => {
      r1 = fixture.daemons.start('vrrpd', 'r1', config('r1', 200));
      r2 = fixture.daemons.start('vrrpd', 'r2', config('r2', 100));
    });

    it('each router has its L2 ipvlan with its address; the master holds the VIP on eth0', async () => {
      const { lab } = fixture;
      expect(await waitForState(r1, 'MASTER', 6000)).not.toBeNull();
      expect(await waitForState(r2, 'BACKUP', 1000)).not.toBeNull();
      // r2 hears r1's adverts on its ipvlan and stays BACKUP past its Master_Down_Interval.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const backup = await instanceStatus(r2);
      expect(backup?.state).toBe('BACKUP');
      expect(backup?.masterAddress).toBe(OWN.r1);
      for (const role of ['r1', 'r2']) {
        const { stdout } = await lab.ip(role, ['-d', '-j', 'link', 'show', 'dev', IPVLAN]);
        const [link] = JSON.parse(stdout) as Array<{
          link?: string;
          linkinfo?: { info_kind?: string; info_data?: { mode?: string } };
        }>;
        expect(link?.linkinfo?.info_kind).toBe('ipvlan');
        expect(link?.linkinfo?.info_data?.mode).toBe('l2');
        expect(link?.link).toBe('eth0');
        expect(await holdsAddress(lab, role, IPVLAN, OWN[role]!)).toBe(true);
      }
      expect((await instanceStatus(r1))?.ipvlans).toEqual([
        { name: IPVLAN, base: 'eth0', kind: 'bridge', address: `${OWN.r1}/24` },
      ]);
      expect(await holdsAddress(lab, 'r1', 'eth0', VIP)).toBe(true);
      expect(await holdsAddress(lab, 'r1', IPVLAN, VIP)).toBe(false);
      expect(await reaches(lab, VIP, 2)).toBe(true);
      // The ipvlan's own address answers the LAN too.
      expect(await reaches(lab, OWN.r1!, 2)).toBe(true);
    });

    it('stopping the master: r2 takes over and the client keeps reaching the VIP', async () => {
      const { lab } = fixture;
      expect(await fixture.daemons.stop(r1, 'SIGTERM')).toBe(0);
      expect(await waitForState(r2, 'MASTER', 4000)).not.toBeNull();
      let held = false;
      for (let i = 0; i < 40 && !held; i++) {
        held = await holdsAddress(lab, 'r2', 'eth0', VIP);
        if (!held) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(held).toBe(true);
      expect(await reaches(lab, VIP, 3)).toBe(true);
      let answered = 0;
      for (let i = 0; i < 3; i++) if (await lab.pingOnce('c1', VIP, 1000)) answered++;
      expect(answered).toBe(3);
      expect(await lab.neighbourMac('c1', VIP)).toBe(await lab.macOf('r2', 'eth0'));
    });

    it('the stopped routers leave no ipvlan behind', async () => {
      const { lab } = fixture;
      expect(await linkNames(lab, 'r1')).not.toContain(IPVLAN);
      expect(await fixture.daemons.stop(r2, 'SIGTERM')).toBe(0);
      expect(await linkNames(lab, 'r2')).not.toContain(IPVLAN);
    });
  },
);
