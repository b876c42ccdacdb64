// Gratuitous ARP bursts for an instance's addresses: `count` rounds, `intervalMs` apart
// (vrrp_garp_interval). Each round runs on the instance's kernel queue, so the first one follows
// the addVips queued before it, and only while the instance is still MASTER. The wait between
// rounds is a timer, not queue work: a paced burst must not hold back the removal of the VIPs
// (lost election, SIGTERM), nor announce them after they were given up.

import type { VipSpec } from '../config/model/types.js';
import type { GarpSender } from '../kernel/garp.js';
import type { NeighborAdvertSender } from '../kernel/neighbor-advert.js';
import { isIpv6 } from '../packet/address6.js';
import type { Logger } from '../runtime/log.js';
import type { TimerHandle, Timers } from '../runtime/timers.js';
import type { InstanceRuntime } from './instance-table.js';
import { LOG, say } from '../runtime/messages.js';

export interface GarpBurst {
  runtime: InstanceRuntime;
  vips: readonly VipSpec[];
  count: number;
  intervalMs: number;
  /** Checked before every round: still the same running instance, still MASTER. */
  stillWanted(): boolean;
}

export class GarpPacer {
  private readonly pacing = new Set<TimerHandle>();

  constructor(
    private readonly sender: GarpSender,
    private readonly neighbors: NeighborAdvertSender,
    private readonly timers: Timers,
    private readonly logger: Logger,
  ) {}

  queue(burst: GarpBurst): void {
    const { runtime, vips, intervalMs } = burst;
    const sendRounds = (remaining: number): void =>
      runtime.kernel.push('gratuitous ARP', () => {
        if (!burst.stillWanted()) return;
        const roundsNow = intervalMs > 0 ? 1 : remaining;
        for (let round = 0; round < roundsNow; round++) {
          for (const vip of vips) this.send(runtime, vip);
        }
        if (remaining <= roundsNow) return;
        const handle = this.timers.after(intervalMs, () => {
          this.pacing.delete(handle);
          sendRounds(remaining - roundsNow);
        });
        this.pacing.add(handle);
      });
    sendRounds(burst.count);
  }

  /** Stops every burst between rounds (daemon stop). */
  cancelAll(): void {
    for (const handle of this.pacing) handle.cancel();
    this.pacing.clear();
  }

  /** IPv4: a gratuitous ARP; IPv6: an unsolicited Neighbor Advertisement (keepalived's garp_* apply to both). */
  private send(runtime: InstanceRuntime, vip: VipSpec): void {
    const dev = vip.dev ?? runtime.plan.interfaceName;
    const ipv6 = isIpv6(vip.address);
    const result = ipv6
      ? this.neighbors.sendNeighborAdvert(dev, vip.address)
      : this.sender.sendGratuitousArp(dev, vip.address);
    if (!result.ok) {
      say(this.logger, LOG.garpFailed, {
        instance: runtime.plan.name,
        vip: vip.address,
        dev,
        kind: ipv6 ? 'neighbor advertisement' : 'gratuitous ARP',
        err: result.error.message,
      });
    }
  }
}
