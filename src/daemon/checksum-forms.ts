// keepalived's old_unicast_checksum at run time (VRRPv3 over IPv4). keepalived before 1.3.6 put
// the multicast group in the checksum's pseudo-header even for unicast adverts; RFC 5798 §5.2.8
// wants the packet's own destination. An instance uses the old form when configured to
// (`old_unicast_checksum`), or once a unicast peer is heard using it (no keyword, keepalived's
// automatic switch, vrrp.c vrrp_check_packet); `old_unicast_checksum never` keeps the RFC form.
// The switch lasts until a reload, which, as in keepalived, starts every instance afresh.

import type { V3ChecksumRule } from '../packet/validate.js';
import type { InstancePlan } from './plan.js';

export class ChecksumForms {
  private readonly switched = new Set<string>();

  /** A reload: detected switches are forgotten (keepalived builds its instances afresh). */
  reset(): void {
    this.switched.clear();
  }

  /** A peer's advert only checked in the old form: the instance sends and expects it from now on. */
  switchToOld(name: string): void {
    this.switched.add(name);
  }

  private usesOld(plan: InstancePlan): boolean {
    const setting = plan.oldUnicastChecksum;
    return setting !== null && (setting.mode === 'always' || this.switched.has(plan.name));
  }

  /** What the receive ladder checks (validate.ts); undefined: the RFC form only. */
  rule(plan: InstancePlan): V3ChecksumRule | undefined {
    const setting = plan.oldUnicastChecksum;
    if (setting === null) return undefined;
    if (this.usesOld(plan)) return { form: 'old', group: setting.group };
    // keepalived only looks for the old form on unicast instances.
    if (setting.mode === 'detect' && plan.unicastPeers !== null)
      return { form: 'detect', group: setting.group };
    return undefined;
  }

  /** The destination to put in the pseudo-header of an advert sent to `destination`. */
  pseudoDestination(plan: InstancePlan, destination: string): string {
    return this.usesOld(plan) ? (plan.oldUnicastChecksum?.group ?? destination) : destination;
  }
}
