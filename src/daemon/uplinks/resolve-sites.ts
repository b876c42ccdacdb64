// Check sites given by name. They are resolved through the system resolver, i.e. through the main
// table (whatever uplink carries the default route, or a resolver on the LAN), never per probe:
// a probe must not depend on DNS answering through an uplink that may be the dead one. NetGWM
// resolves at every run, so a name that did not resolve at boot (DNS down) works once DNS is back;
// here each name is re-resolved every `resolve_interval`, a name that never resolved sooner (1 s,
// doubling up to the interval), at most one lookup per name at a time, each bounded by a timeout.
// A name that stops resolving keeps its last good address; one that never resolved stays a site
// that never answers (it still counts in k of N).

import { dnsPromises } from '../../runtime/builtins.js';
import { isIpv4 } from '../../packet/address.js';
import { canonicalIpv6, isIpv6 } from '../../packet/address6.js';
import { errorMessage } from '../../runtime/errors.js';
import { LOG, type LogMessage } from '../../runtime/messages.js';
import { systemTimers, type TimerHandle, type Timers } from '../../runtime/timers.js';
import type { ResolvedSite } from '../../uplink/probe-plan.js';

/** Resolves a name to one address of the family asked for (4 unless told). */
export type HostLookup = (name: string, family?: 4 | 6) => Promise<string>;

/** A site given as an address (IPv4, or IPv6 in any spelling) rather than a name. */
const isAddress = (site: string): boolean => isIpv4(site) || isIpv6(site);

const RESOLVE_TIMEOUT_MS = 5000;
const FIRST_RETRY_MS = 1000;

export const systemLookup: HostLookup = async (name, family = 4) =>
  (await dnsPromises().lookup(name, { family })).address;

/** One lookup, bounded; rejects with a readable reason. */
async function resolveOne(
  site: string,
  lookupHost: HostLookup,
  timeoutMs: number,
  timers: Timers,
  family: 4 | 6 = 4,
): Promise<string> {
  let timer: TimerHandle | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = timers.after(timeoutMs, () => reject(new Error(`no answer within ${timeoutMs} ms`)), {
        unref: true,
      });
    });
    const address = await Promise.race([lookupHost(site, family), timeout]);
    if (family === 4 && !isIpv4(address)) throw new Error(`resolved to ${address}, not IPv4`);
    if (family === 6) {
      const v6 = canonicalIpv6(address);
      if (v6 === null) throw new Error(`resolved to ${address}, not IPv6`);
      return v6;
    }
    return address;
  } finally {
    timer?.cancel();
  }
}

/** Resolves every site once, in parallel (addresses are kept as they are). */
export async function resolveCheckSites(
  sites: readonly string[],
  lookupHost: HostLookup = systemLookup,
  timeoutMs = RESOLVE_TIMEOUT_MS,
  timers: Timers = systemTimers,
): Promise<{ resolved: ResolvedSite[]; failures: Array<{ site: string; reason: string }> }> {
  const failures: Array<{ site: string; reason: string }> = [];
  const resolved = await Promise.all(
    sites.map(async (site): Promise<ResolvedSite> => {
      if (isAddress(site)) return { site, address: site };
      try {
        return { site, address: await resolveOne(site, lookupHost, timeoutMs, timers) };
      } catch (error) {
        failures.push({ site, reason: errorMessage(error) });
        return { site, address: null };
      }
    }),
  );
  return { resolved, failures };
}

/** Where the resolver's catalogue lines go (the group's reporter). */
export type ResolverLog = (message: LogMessage, fields: Record<string, unknown>) => void;

export interface SiteResolverOptions {
  lookupHost?: HostLookup;
  /** The group's family: names resolve to A (4) or AAAA (6) records. */
  family?: () => 4 | 6;
  timers?: Timers;
  /** How often names are re-resolved (read at each scheduling, so a reload takes effect). */
  intervalMs: () => number;
  timeoutMs?: number;
  log: ResolverLog;
}

interface NameState {
  site: string;
  address: string | null;
  failures: number;
  timer: TimerHandle | null;
}

/** Keeps the check sites' addresses current; `sites()` is what the next probe round uses. */
export class SiteResolver {
  private list: string[] = [];
  private readonly names = new Map<string, NameState>();
  private stopped = false;
  private readonly timers: Timers;
  private readonly lookupHost: HostLookup;
  private readonly timeoutMs: number;

  constructor(private readonly options: SiteResolverOptions) {
    this.timers = options.timers ?? systemTimers;
    this.lookupHost = options.lookupHost ?? systemLookup;
    this.timeoutMs = options.timeoutMs ?? RESOLVE_TIMEOUT_MS;
  }

  /**
   * Takes a (new) list of sites and resolves its names now; resolves when each has an answer or
   * has failed. Names already known keep their address if the new lookup fails.
   */
  async configure(sites: readonly string[]): Promise<void> {
    this.list = [...sites];
    for (const [name, state] of this.names) {
      if (sites.includes(name)) continue;
      state.timer?.cancel();
      this.names.delete(name);
    }
    const names = [...new Set(sites.filter((site) => !isAddress(site)))];
    await Promise.all(names.map((name) => this.refresh(this.stateOf(name))));
  }

  sites(): ResolvedSite[] {
    return this.list.map((site) =>
      isAddress(site) ? { site, address: site } : { site, address: this.names.get(site)?.address ?? null },
    );
  }

  stop(): void {
    this.stopped = true;
    for (const state of this.names.values()) state.timer?.cancel();
  }

  private stateOf(name: string): NameState {
    let state = this.names.get(name);
    if (!state) {
      state = { site: name, address: null, failures: 0, timer: null };
      this.names.set(name, state);
    }
    return state;
  }

  private async refresh(state: NameState): Promise<void> {
    state.timer?.cancel();
    state.timer = null;
    try {
      const family = this.options.family?.() ?? 4;
      const address = await resolveOne(state.site, this.lookupHost, this.timeoutMs, this.timers, family);
      if (this.names.get(state.site) !== state) return;
      if (address !== state.address) {
        this.options.log(LOG.uplinkSiteResolved, { site: state.site, address, previous: state.address });
      }
      state.address = address;
      state.failures = 0;
    } catch (error) {
      if (this.names.get(state.site) !== state) return;
      state.failures++;
      if (state.failures === 1) {
        const reason = errorMessage(error);
        this.options.log(state.address === null ? LOG.uplinkSiteUnresolved : LOG.uplinkSiteKept, {
          site: state.site,
          reason,
          keeping: state.address,
        });
      }
    }
    this.schedule(state);
  }

  private schedule(state: NameState): void {
    if (this.stopped) return;
    const interval = this.options.intervalMs();
    // A name without any address is retried soon, then less and less often; one with an
    // address (fresh or kept) at the interval.
    const delay =
      state.address === null
        ? Math.min(interval, FIRST_RETRY_MS * 2 ** Math.min(state.failures - 1, 16))
        : interval;
    state.timer = this.timers.after(delay, () => void this.refresh(state), { unref: true });
  }
}
