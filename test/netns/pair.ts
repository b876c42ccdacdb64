// Starting a master/backup pair deterministically. Started together, two daemons race: node's
// start-up time varies by a few hundred ms, and a backup that starts 0.4 s earlier than the
// master reaches its Master_Down_Interval first and is briefly MASTER — legitimate VRRP, but it
// would add transitions (and notify scripts) to scenarios that count them. So the master starts
// alone, and the backup joins once the master is MASTER.

import {
  DaemonSet,
  instanceStatus,
  keepalivedConfig,
  waitFor,
  waitForState,
  type RunningDaemon,
} from '../lab/daemons.js';
import { requireBuiltDist } from '../lab/dist.js';
import { createRouterSegment, type RouterSegment } from '../lab/topology.js';

export async function startPair(
  daemons: DaemonSet,
  master: { role: string; config: string },
  backup: { role: string; config: string; masterAddress: string },
): Promise<[RunningDaemon, RunningDaemon]> {
  const first = daemons.start('vrrpd', master.role, master.config);
  if ((await waitForState(first, 'MASTER', 8000)) === null) {
    throw new Error(`${master.role} never became MASTER:\n${first.logs.slice(-20).join('\n')}`);
  }
  const second = daemons.start('vrrpd', backup.role, backup.config);
  if ((await waitForState(second, 'BACKUP', 4000)) === null) {
    throw new Error(`${backup.role} never reported BACKUP:\n${second.logs.slice(-20).join('\n')}`);
  }
  const heard = await waitFor(
    async () => (await instanceStatus(second))?.masterAddress === backup.masterAddress,
    3000,
  );
  if (!heard) throw new Error(`${backup.role} never heard ${master.role}'s adverts`);
  return [first, second];
}

/** The two-router setup most scenarios share: r1 (priority 200) and r2 (100), unicast, auth PASS. */
export function unicastConfig(self: string, peer: string, priority: number): string {
  return keepalivedConfig([{ priority, unicastSrc: self, unicastPeers: [peer], authPass: 'secret1' }]);
}

export interface PairLab {
  segment: RouterSegment;
  daemons: DaemonSet;
  r1: RunningDaemon;
  r2: RunningDaemon;
}

/** Builds the lab segment and starts the r1/r2 pair with r1 settled as MASTER (for beforeAll). */
export async function startUnicastPairLab(): Promise<PairLab> {
  requireBuiltDist(['src']);
  const segment = await createRouterSegment();
  const daemons = new DaemonSet(segment.lab);
  const [r1, r2] = await startPair(
    daemons,
    { role: 'r1', config: unicastConfig('192.0.2.1', '192.0.2.2', 200) },
    { role: 'r2', config: unicastConfig('192.0.2.2', '192.0.2.1', 100), masterAddress: '192.0.2.1' },
  );
  return { segment, daemons, r1, r2 };
}

/** Stops every daemon and removes the lab (for afterAll; tolerates a beforeAll that failed early). */
export async function teardownPairLab(segment?: RouterSegment, daemons?: DaemonSet): Promise<void> {
  await daemons?.cleanup();
  await segment?.lab.teardown();
}
