// The take-over both directions that the interop tests of one keepalived.conf construct share:
// keepalived (r2, priority 100) runs first, vrrpd (r1, priority 200) starts, hears it as BACKUP
// and takes over; then vrrpd stops and keepalived takes back over at once (priority 0). Neither
// daemon may complain about the other's adverts.

import type { ExpectStatic } from 'vitest';
import type { InstanceStatus } from '../../src/control/status-types.js';
import { instanceStatus } from '../lab/daemons.js';
import { masterDownIntervalMs } from './pairing.js';
import type { RouterPair } from './router-pair.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** keepalived first, then vrrpd takes over and stays sole master; returns vrrpd's instance status. */
export async function vrrpdTakesOver(pair: RouterPair, expect: ExpectStatic): Promise<InstanceStatus | null> {
  await pair.start('r2');
  expect(await pair.waitForSoleMaster('r2', masterDownIntervalMs(100) + 4000)).not.toBeNull();
  await pair.start('r1');
  expect(await pair.waitForSoleMaster('r1', masterDownIntervalMs(200) + 4000)).not.toBeNull();
  await sleep(2500);
  expect(await pair.masters()).toEqual(['r1']);
  expect(await pair.vipHolders()).toEqual(['r1']);
  expect(pair.keepalivedComplaints()).toEqual([]);
  expect(pair.vrrpdDropRecords()).toEqual([]);
  const status = await instanceStatus(pair.daemon('r1'));
  expect(status?.counters.drops).toEqual({});
  return status;
}

/** vrrpd stops (priority 0): keepalived takes over at once, without complaint. */
export async function keepalivedTakesBack(pair: RouterPair, expect: ExpectStatic): Promise<void> {
  await pair.stop('r1');
  expect(await pair.waitForSoleMaster('r2', 3000)).not.toBeNull();
  expect(pair.keepalivedComplaints()).toEqual([]);
}
