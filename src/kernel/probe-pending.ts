// What every site prober (ICMP, ARP, DNS, TCP) keeps per probe in flight: the address asked, when
// it was sent (monotonic), its timeout and how to report the result; and the RTT arithmetic.

import type { TimerHandle } from '../runtime/timers.js';
import type { EchoResult } from './icmp-prober.js';

export interface PendingProbe {
  address: string;
  sentAt: bigint;
  timer: TimerHandle;
  resolve: (result: EchoResult) => void;
}

/** Milliseconds since a `process.hrtime.bigint()` reading. */
export function elapsedMs(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}
