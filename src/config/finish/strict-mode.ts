// keepalived's strict mode (global `vrrp_strict`, instance `strict_mode`), as vrrp.c's
// vrrp_complete_instance applies it once an instance is read. Each rule either adjusts a value
// with a report (what keepalived does) or refuses the configuration (where keepalived refuses to
// run it). The runtime only sees the resulting model values.
//
//   state MASTER without priority 255   → BACKUP            ("State MASTER must match being address owner")
//   state BACKUP with priority 255      → MASTER            (the same check, the other way)
//   authentication                      → none              ("Strict mode does not support authentication")
//   unicast peers                       → allowed: keepalived 2.2.7 checks for them ("Unicast peers are
//                                         not supported in strict mode") before it marks the instance
//                                         unicast, so the check never fires and it runs them
//   no virtual_ipaddress                → refused           ("No VIP specified; at least one is required")
//   preempt_delay                       → 0                 ("preempt_delay is incompatible with strict mode")
//   accept (not owner, VRRPv2)          → off               ("accept mode for VRRP version 2 does not comply with RFC3768")
//   accept not written                  → off unless owner
//   IPv6 with version 2                 → version 3
//   lower-priority adverts / GARPs, advert before yielding → off (lower_prio_no_advert, no
//                                         garp_lower_prio_*, higher_prio_send_advert off)

import type { DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';

export interface StrictContext {
  where: string;
  /** Where strict mode comes from, for messages: the instance's strict_mode line or vrrp_strict. */
  because: string;
  sink: DiagnosticSink;
}

export function adjustedForStrict(
  ctx: StrictContext,
  at: SourceRef,
  what: string,
  result: string,
  hint?: string,
): void {
  ctx.sink.report(
    DiagnosticCodes.adjusted,
    at,
    `${what} is not allowed in strict mode (${ctx.because}) in ${ctx.where}: ${result}, as keepalived does`,
    hint,
    // keepalived reports each of these strict-mode adjustments (vrrp.c, vrrp_complete_instance).
    KEEPALIVED_REPORTS,
  );
}

/** The runtime values strict mode fixes (keepalived sets them as defaults and resets them if written). */
export function strictRuntime(strict: boolean): {
  lowerPriorityNoAdvert: boolean;
  higherPrioritySendAdvert: boolean;
  garpLowerPriority: { repeat: number; delayMs: number } | null;
} {
  return strict
    ? {
        lowerPriorityNoAdvert: true,
        higherPrioritySendAdvert: false,
        garpLowerPriority: { repeat: 0, delayMs: 0 },
      }
    : { lowerPriorityNoAdvert: false, higherPrioritySendAdvert: true, garpLowerPriority: null };
}
