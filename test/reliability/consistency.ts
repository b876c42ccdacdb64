// Checks shared by the fault scenarios: after whatever happened, is the pair in a state that
// makes sense? One MASTER, the VIP on it exactly once and nowhere else, counters and transition
// records that agree with each other, and no internal error in the daemons' logs.

import { instanceStatus, type RunningDaemon } from '../lab/daemons.js';
import type { Lab } from '../lab/lab.js';
import { recordsWithMessage, transitionRecords } from '../netns/observe.js';

/** How many times `address` is configured on `ifname` in `role` (0, 1, or a duplicate). */
export async function addressCount(lab: Lab, role: string, ifname: string, address: string): Promise<number> {
  const result = await lab.ip(role, ['-j', 'addr', 'show', 'dev', ifname]);
  const links = JSON.parse(result.stdout || '[]') as Array<{ addr_info?: Array<{ local?: string }> }>;
  return links.flatMap((link) => link.addr_info ?? []).filter((a) => a.local === address).length;
}

/** Problems with one daemon's own bookkeeping of VI_1; empty when consistent. */
export async function bookkeepingProblems(daemon: RunningDaemon, instance = 'VI_1'): Promise<string[]> {
  const problems: string[] = [];
  const status = await instanceStatus(daemon, instance);
  if (!status) return [`${daemon.role}: no status`];
  const { becameMaster, releasedMaster } = status.counters;
  const expectedBalance = status.state === 'MASTER' ? 1 : 0;
  if (becameMaster - releasedMaster !== expectedBalance) {
    problems.push(
      `${daemon.role}: ${status.state} with becameMaster ${becameMaster}, releasedMaster ${releasedMaster}`,
    );
  }
  const records = transitionRecords(daemon, instance);
  records.forEach((record, i) => {
    const previous = records[i - 1];
    if (previous && previous.to !== record.from) {
      problems.push(
        `${daemon.role}: transition ${i} starts from ${record.from}, previous ended in ${previous.to}`,
      );
    }
  });
  if (records.at(-1)?.to !== status.state) {
    problems.push(`${daemon.role}: last transition to ${records.at(-1)?.to}, status ${status.state}`);
  }
  for (const text of ['state machine error', 'kernel update failed']) {
    const found = recordsWithMessage(daemon, text);
    if (found.length > 0) problems.push(`${daemon.role}: "${text}" logged ${found.length} times`);
  }
  if (daemon.exited()) problems.push(`${daemon.role}: daemon exited`);
  return problems;
}
