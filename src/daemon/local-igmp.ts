// disable_local_igmp (global_defs): a BACKUP's VMAC joining 224.0.0.18 would send IGMP reports
// from the virtual MAC; keepalived turns the namespace's link-local reports off at start and
// restores the value at stop (vrrp_daemon.c). A reload neither sets nor restores it.

import { SysctlJournal, type Sysctls } from '../kernel/sysctl.js';
import { errorMessage } from '../runtime/errors.js';
import type { Logger } from '../runtime/log.js';
import { LOG, say } from '../runtime/messages.js';

const IGMP_LINK_LOCAL_REPORTS = 'net/ipv4/igmp_link_local_mcast_reports';

export class LocalIgmp {
  private readonly journal: SysctlJournal;

  constructor(
    sysctls: Sysctls,
    private readonly logger: Logger,
  ) {
    this.journal = new SysctlJournal(sysctls);
  }

  /** Turns the reports off; a failure is a warning, the daemon runs on. */
  async disable(): Promise<void> {
    try {
      await this.journal.set(IGMP_LINK_LOCAL_REPORTS, 0);
      say(this.logger, LOG.localIgmp, { notice: `${IGMP_LINK_LOCAL_REPORTS} = 0` });
    } catch (error) {
      say(
        this.logger,
        LOG.localIgmp,
        { notice: `cannot set ${IGMP_LINK_LOCAL_REPORTS}: ${errorMessage(error)}` },
        'warn',
      );
    }
  }

  /** Puts back what `disable` changed, unless someone else changed it meanwhile. */
  async restore(): Promise<void> {
    const report = await this.journal.restore();
    for (const key of report.restored) say(this.logger, LOG.localIgmp, { notice: `${key} restored` });
    for (const key of report.keptTheirs)
      say(this.logger, LOG.localIgmp, { notice: `${key} changed by someone else meanwhile: left as it is` });
    for (const { key, error } of report.failed)
      say(this.logger, LOG.localIgmp, { notice: `cannot restore ${key}: ${error}` }, 'warn');
  }
}
