// Logging of dropped packets without letting a hostile LAN flood the journal (DESIGN.md: "logged at
// most once per kind per peer until something changes"). Two limits stack:
//  - per (reason, peer): logged once, then silent until reset() (a transition, or a valid advert
//    from that peer);
//  - per reason: at most `perReasonBudget` lines per window, so spoofed sources cannot defeat the
//    first limit; what was suppressed is summarised once when the next window opens.

export interface DropLogDecision {
  /** Log this drop now. */
  log: boolean;
  /** Drops of this reason that were suppressed in the previous window (log a summary if > 0). */
  suppressedBefore: number;
}

interface ReasonWindow {
  startedAt: number;
  logged: number;
  suppressed: number;
}

/** Decisions without a summary to log are shared, not allocated per packet. */
const LOG: DropLogDecision = Object.freeze({ log: true, suppressedBefore: 0 });
const SUPPRESS: DropLogDecision = Object.freeze({ log: false, suppressedBefore: 0 });

export class DropLog {
  private readonly seen = new Set<string>();
  private readonly windows = new Map<string, ReasonWindow>();

  constructor(
    private readonly perReasonBudget = 5,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 4096,
  ) {}

  decide(reason: string, peer: string, now: number): DropLogDecision {
    let window = this.windows.get(reason);
    let suppressedBefore = 0;
    if (!window || now - window.startedAt >= this.windowMs) {
      suppressedBefore = window?.suppressed ?? 0;
      window = { startedAt: now, logged: 0, suppressed: 0 };
      this.windows.set(reason, window);
    }
    // Budget first: once a reason's window is spent (the usual case under a flood), no per-peer
    // key needs to be built at all.
    if (window.logged >= this.perReasonBudget) {
      window.suppressed++;
      return suppressedBefore === 0 ? SUPPRESS : { log: false, suppressedBefore };
    }
    const key = `${reason}|${peer}`;
    if (this.seen.has(key)) {
      window.suppressed++;
      return suppressedBefore === 0 ? SUPPRESS : { log: false, suppressedBefore };
    }
    if (this.seen.size >= this.maxKeys) this.seen.clear();
    this.seen.add(key);
    window.logged++;
    return suppressedBefore === 0 ? LOG : { log: true, suppressedBefore };
  }

  /** Something changed (a transition, a reload): log each kind again. */
  reset(): void {
    this.seen.clear();
  }

  /**
   * A valid advert from `peer`: its earlier problems are over, log them again if they return.
   * `stillPresent`: warnings that advert itself carries (it was accepted with them); forgetting
   * those would log them again on every advert, i.e. once per second per peer.
   */
  resetPeer(peer: string, stillPresent: readonly string[] = []): void {
    for (const key of this.seen) {
      if (!key.endsWith(`|${peer}`)) continue;
      if (stillPresent.some((reason) => key === `${reason}|${peer}`)) continue;
      this.seen.delete(key);
    }
  }

  /** (reason, peer) pairs remembered now; never more than maxKeys. */
  get size(): number {
    return this.seen.size;
  }
}
