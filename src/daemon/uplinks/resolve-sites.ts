// Check sites given by name are resolved once, at start and on reload, never per probe: a probe
// must not depend on DNS answering through an uplink that may be the dead one. A name that does
// not resolve stays in the list as a site that never answers (it still counts in k of N).

import { lookup } from 'node:dns/promises';
import { isIpv4 } from '../../packet/address.js';
import type { ResolvedSite } from '../../uplink/probe-plan.js';
import { errorMessage } from '../../runtime/errors.js';
import { systemTimers, type TimerHandle, type Timers } from '../../runtime/timers.js';

export type HostLookup = (name: string) => Promise<string>;

const RESOLVE_TIMEOUT_MS = 5000;

export const systemLookup: HostLookup = async (name) => (await lookup(name, { family: 4 })).address;

export async function resolveCheckSites(
  sites: readonly string[],
  lookupHost: HostLookup = systemLookup,
  timeoutMs = RESOLVE_TIMEOUT_MS,
  timers: Timers = systemTimers,
): Promise<{ resolved: ResolvedSite[]; failures: Array<{ site: string; reason: string }> }> {
  const failures: Array<{ site: string; reason: string }> = [];
  const resolved = await Promise.all(
    sites.map(async (site): Promise<ResolvedSite> => {
      if (isIpv4(site)) return { site, address: site };
      let timer: TimerHandle | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = timers.after(timeoutMs, () => reject(new Error(`no answer within ${timeoutMs} ms`)), {
            unref: true,
          });
        });
        const address = await Promise.race([lookupHost(site), timeout]);
        if (!isIpv4(address)) throw new Error(`resolved to ${address}, not IPv4`);
        return { site, address };
      } catch (error) {
        failures.push({ site, reason: errorMessage(error) });
        return { site, address: null };
      } finally {
        timer?.cancel();
      }
    }),
  );
  return { resolved, failures };
}
