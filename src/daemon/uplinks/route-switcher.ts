// Route switching: writing the default route the policy chose, and the fallback route when the
// group leaves MASTER. A failed write is reported (log, counter, notice) and handed back to the
// caller as a `routeFailed` event for the policy, which is queued like any other event, never
// fed to the policy from in here.

import type { LeaveMasterPolicy } from '../../config/model/types.js';
import { errorMessage } from '../../runtime/errors.js';
import { LOG } from '../../runtime/messages.js';
import type { UplinkAction, UplinkEvent } from '../../uplink/types.js';
import type { UplinkReporter } from './reporting.js';
import { replaceDefaultRoute, replaceMultipathDefaultRoute, type UplinkKernel } from './uplink-routes.js';

export interface RouteSwitcherSettings {
  routeTable: number;
  family: 'ipv4' | 'ipv6';
  onLeaveMaster: LeaveMasterPolicy;
}

export class RouteSwitcher {
  constructor(
    private readonly kernel: UplinkKernel,
    private readonly reporter: UplinkReporter,
    private readonly settings: () => RouteSwitcherSettings,
  ) {}

  /** Writes the route; on failure returns the event that tells the policy the route did not move. */
  async write(action: Extract<UplinkAction, { type: 'replaceDefaultRoute' }>): Promise<UplinkEvent | null> {
    try {
      const { routeTable, family } = this.settings();
      if (action.nexthops && action.nexthops.length > 1) {
        const hops = action.nexthops.map((hop) => ({
          ip: hop.gateway.ip,
          dev: hop.gateway.dev,
          weight: hop.weight,
        }));
        await replaceMultipathDefaultRoute(this.kernel, hops, routeTable, family);
      } else await replaceDefaultRoute(this.kernel, action.gateway, routeTable, family);
      return null;
    } catch (error) {
      const message = errorMessage(error);
      this.reporter.say(LOG.uplinkRouteError, {
        event: 'uplink_route_error',
        gateway: action.gateway.id,
        error: message,
      });
      this.reporter.counters.routeErrors++;
      this.reporter.notify({ kind: 'routeError', gateway: action.gateway.id, error: message });
      return { type: 'routeFailed', gatewayId: action.gateway.id, previous: action.previous };
    }
  }

  async restoreFallback(): Promise<void> {
    const { onLeaveMaster: policy, routeTable, family } = this.settings();
    if (policy.kind !== 'fallback') return;
    try {
      await replaceDefaultRoute(this.kernel, { ip: policy.via, dev: policy.dev }, routeTable, family);
      this.reporter.say(LOG.uplinkFallback, { event: 'uplink_fallback', via: policy.via, dev: policy.dev });
      this.reporter.notify({ kind: 'fallback', ok: true });
    } catch (error) {
      this.reporter.say(LOG.uplinkFallbackFailed, { event: 'uplink_fallback', error: errorMessage(error) });
      this.reporter.notify({ kind: 'fallback', ok: false });
    }
  }
}
