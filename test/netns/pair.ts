// Starting a master/backup pair deterministically. Started together, two daemons race: node's
// start-up time varies by a few hundred ms, and a backup that starts 0.4 s earlier than the
// master reaches its Master_Down_Interval first and is briefly MASTER — legitimate VRRP, but it
// would add transitions (and notify scripts) to scenarios that count them. So the master starts
// alone, and the backup joins once the master is MASTER.

import { instanceStatus, waitFor, waitForState, type DaemonSet, type RunningDaemon } from '../lab/daemons.js';

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
