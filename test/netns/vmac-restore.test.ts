// A VMAC the kernel deleted, on a real kernel (issue 13; keepalived vrrp_if.c
// recreate_vmac_thread): the master's base veth deleted takes its VMAC with it (FAULT, the backup
// takes over); the veth re-added (new ifindex) gets vrrp.51 back with the virtual MAC, the master
// preempts back with the VIP on it; then vrrp.51 deleted by hand is made again at once.

import { beforeAll, describe, expect, it } from 'vitest';
import { holdsAddress, keepalivedConfig, waitFor, waitForState, type RunningDaemon } from '../lab/daemons.js';
import { useSegmentLab } from '../lab/fixture.js';
import type { Lab } from '../lab/lab.js';
import { requireRoot } from '../lab/root.js';
import { SEGMENT_INTERFACE, SEGMENT_PREFIX_LENGTH, SWITCH, VIP, segmentAddressOf } from '../lab/topology.js';

const skip = requireRoot();
const VMAC = 'vrrp.51';
const VIRTUAL_MAC = '00:00:5e:00:01:33';

/** vrrp.51 exists on r1 with the virtual MAC and holds the VIP (bounded wait). */
async function vmacWithVip(lab: Lab): Promise<boolean> {
  return waitFor(
    async () => {
      const link = await lab.ip('r1', ['-j', 'link', 'show', 'dev', VMAC]).catch(() => null);
      if (!link) return false;
      const [info] = JSON.parse(link.stdout || '[]') as Array<{ address?: string }>;
      return info?.address === VIRTUAL_MAC && (await holdsAddress(lab, 'r1', VMAC, VIP));
    },
    4000,
    50,
  );
}

describe.skipIf(skip !== undefined)('use_vmac: a VMAC the kernel deleted is made again (real kernel)', () => {
  const fixture = useSegmentLab({ dist: ['src', 'test/lab'] });
  let r1: RunningDaemon;
  let r2: RunningDaemon;
  const config = (priority: number) =>
    keepalivedConfig([{ priority, version: 3, advertInt: 0.5, extra: ['use_vmac'] }]);

  beforeAll(async () => {
    r1 = fixture.daemons.start('vrrpd', 'r1', config(200));
    r2 = fixture.daemons.start('vrrpd', 'r2', config(100));
    expect(await waitForState(r1, 'MASTER', 6000)).not.toBeNull();
    expect(await waitForState(r2, 'BACKUP', 1000)).not.toBeNull();
  });

  it('base veth deleted: FAULT; re-added: vrrp.51 again with its MAC, the VIP on it, MASTER again', async () => {
    const { lab } = fixture;
    expect(await vmacWithVip(lab)).toBe(true);
    await lab.ip('r1', ['link', 'del', SEGMENT_INTERFACE]);
    expect(await waitForState(r1, 'FAULT', 2000)).not.toBeNull();
    // Master_Down_Interval: 1.5 s and the skew time (RFC 5798 §6.1).
    expect(await waitForState(r2, 'MASTER', 5000)).not.toBeNull();
    await lab.attach('r1', SEGMENT_INTERFACE, SWITCH, `${segmentAddressOf('r1')}/${SEGMENT_PREFIX_LENGTH}`);
    expect(await waitForState(r1, 'MASTER', 6000)).not.toBeNull();
    expect(await vmacWithVip(lab)).toBe(true);
    expect(await waitForState(r2, 'BACKUP', 3000)).not.toBeNull();
  });

  it('vrrp.51 deleted alone: made again at once, the VIP back on it', async () => {
    const { lab } = fixture;
    const before = await lab.ifindexOf('r1', VMAC);
    await lab.ip('r1', ['link', 'del', VMAC]);
    expect(await vmacWithVip(lab)).toBe(true);
    expect(await lab.ifindexOf('r1', VMAC)).not.toBe(before);
    expect(await waitForState(r1, 'MASTER', 4000)).not.toBeNull();
  });
});
