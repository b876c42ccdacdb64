// The probing half of the uplink manager: per-gateway policy routing and marked ICMP sockets, and
// one round of probes (every gateway × every check site, all in parallel). It decides nothing; it
// reports what came back. Kernel or socket trouble is logged once per gateway until it clears,
// and the affected gateway simply gets no replies (so it counts as failing).

import type { NetgwmConfig } from '../../config/netgwm/types.js';
import type { SiteProber } from '../../kernel/icmp-prober.js';
import { openSiteProber, type SiteProberFactory } from './site-probers.js';
import { gatewayProbeSettings } from '../../config/netgwm/gateway-probes.js';
import {
  assembleTargets,
  planTargets,
  probeRouting,
  type GatewayProbeTargets,
  type GatewayProbeRouting,
  type ProbeOutcome,
  type ResolvedSite,
} from '../../uplink/probe-plan.js';
import type { GatewayRound } from '../../uplink/types.js';
import {
  installProbeRouting,
  removeProbeRouting,
  reversePathFilter,
  type UplinkKernel,
} from './uplink-routes.js';
import { errorMessage } from '../../runtime/errors.js';
import { LOG, type LogMessage } from '../../runtime/messages.js';

/** Where the fleet's catalogue lines go (the group's reporter). */
export type FleetLog = (message: LogMessage, fields: Record<string, unknown>) => void;

export interface ProbeRoundReport {
  results: GatewayRound[];
  sent: number;
  replies: number;
}

export class ProbeFleet {
  private routing: GatewayProbeRouting[] = [];
  private readonly probers = new Map<string, SiteProber>();
  /** What each open prober was opened for, so a reload that changes the method reopens it. */
  private readonly proberKeys = new Map<string, string>();
  private readonly routeFailing = new Set<string>();
  private readonly socketFailing = new Set<string>();
  /** Gateways whose last round got no reply at all. */
  private readonly silent = new Set<string>();

  constructor(
    private readonly kernel: UplinkKernel,
    private readonly log: FleetLog,
    private readonly openProber: SiteProberFactory = openSiteProber,
  ) {}

  /** Installs the probe routing of every gateway of `config` (idempotent). */
  async setUp(config: NetgwmConfig): Promise<void> {
    this.routing = probeRouting(
      config.gateways,
      {
        table: config.probeTableBase,
        rulePriority: config.probeRulePriorityBase,
        fwmark: config.probeFwmarkBase,
      },
      config.family,
    );
    for (const entry of this.routing) await this.ensureRouting(entry);
  }

  /** Closes the sockets and removes every rule and probe-table route installed by setUp. */
  async tearDown(): Promise<void> {
    // Forget the routing before closing the sockets: a round in flight then ends with every probe
    // `closed`, and must not find an entry to reinstall behind our back.
    const routing = this.routing;
    this.routing = [];
    for (const prober of this.probers.values()) prober.close();
    this.probers.clear();
    this.proberKeys.clear();
    for (const entry of routing) {
      const problems = await removeProbeRouting(this.kernel, entry);
      if (problems.length > 0) this.log(LOG.uplinkProbeRouteLeft, { gateway: entry.gatewayId, problems });
    }
    this.routeFailing.clear();
    this.socketFailing.clear();
    this.silent.clear();
  }

  /** Probes the gateways `due` (all when omitted), each with its own settings and sites. */
  async probeRound(
    config: NetgwmConfig,
    sites: readonly ResolvedSite[],
    due: readonly string[] = config.gateways.map((gateway) => gateway.id),
  ): Promise<ProbeRoundReport> {
    // The kernel drops a gateway's probe route when its link goes down and never puts it back:
    // reinstall it before probing a gateway that got no reply at all last time, so a short link
    // bounce costs no extra failed round.
    for (const gatewayId of this.silent) {
      if (!due.includes(gatewayId)) continue;
      const entry = this.routing.find((r) => r.gatewayId === gatewayId);
      if (entry) await this.ensureRouting(entry);
    }
    const targets = due.map((gatewayId): GatewayProbeTargets => {
      const settings = gatewayProbeSettings(config, gatewayId);
      const own = settings.trackIps?.map((address) => ({ site: address, address }));
      // The arp probe asks the gateway itself.
      const ip = config.gateways.find((gateway) => gateway.id === gatewayId)?.ip ?? null;
      if (settings.method === 'arp')
        return { gatewayId, sites: [{ site: ip ?? '', address: ip }], count: settings.count };
      return { gatewayId, sites: own ?? sites, count: settings.count };
    });
    const outcomes = await Promise.all(
      planTargets(targets).map(async (request): Promise<ProbeOutcome> => {
        const prober = this.proberFor(config, request.gatewayId);
        if (!prober)
          return { gatewayId: request.gatewayId, site: request.site, sent: request.count, rttsMs: [] };
        const { timeoutMs } = gatewayProbeSettings(config, request.gatewayId);
        const echoes = await prober.echo(request.address, request.count, timeoutMs);
        const rttsMs = echoes.flatMap((r) => (r.outcome === 'reply' && r.rttMs !== null ? [r.rttMs] : []));
        return { gatewayId: request.gatewayId, site: request.site, sent: echoes.length, rttsMs };
      }),
    );
    const results = assembleTargets(targets, outcomes);
    for (const round of results) {
      if (round.sites.every((site) => site.received === 0)) this.silent.add(round.gatewayId);
      else this.silent.delete(round.gatewayId);
    }
    let sent = 0;
    let replies = 0;
    for (const outcome of outcomes) {
      sent += outcome.sent;
      replies += outcome.rttsMs.length;
    }
    return { results, sent, replies };
  }

  /**
   * Strict rp_filter on a gateway's device drops echo replies arriving on an uplink that is not
   * the active one: every backup uplink would look dead. Warns once per such device.
   */
  async warnAboutReversePathFilter(config: NetgwmConfig): Promise<void> {
    // IPv6 has no rp_filter (its reverse-path check is a netfilter rule, not a sysctl).
    if (config.family !== 'ipv4') return;
    for (const gateway of config.gateways) {
      if (gateway.dev === null || (await reversePathFilter(gateway.dev)) !== 1) continue;
      this.log(LOG.uplinkRpFilter, { gateway: gateway.id, dev: gateway.dev });
    }
  }

  private async ensureRouting(entry: GatewayProbeRouting): Promise<void> {
    try {
      await installProbeRouting(this.kernel, entry);
      if (this.routeFailing.delete(entry.gatewayId)) {
        this.log(LOG.uplinkProbeRouteRestored, { gateway: entry.gatewayId });
      }
    } catch (error) {
      if (this.routeFailing.has(entry.gatewayId)) return;
      this.routeFailing.add(entry.gatewayId);
      this.log(LOG.uplinkProbeRoute, { gateway: entry.gatewayId, error: errorMessage(error) });
    }
  }

  private proberFor(config: NetgwmConfig, gatewayId: string): SiteProber | null {
    const entry = this.routing.find((r) => r.gatewayId === gatewayId);
    if (!entry) return null;
    const settings = gatewayProbeSettings(config, gatewayId);
    const key = `${settings.method} ${settings.port ?? ''} ${settings.dnsQuery} ${entry.fwmark}`;
    const existing = this.probers.get(gatewayId);
    if (existing?.isOpen() && this.proberKeys.get(gatewayId) === key) return existing;
    existing?.close();
    try {
      const prober = this.openProber({
        fwmark: entry.fwmark,
        method: settings.method,
        port: settings.port,
        dnsQuery: settings.dnsQuery,
        gateway: { ip: entry.ip, dev: entry.dev },
        family: entry.family,
      });
      this.probers.set(gatewayId, prober);
      this.proberKeys.set(gatewayId, key);
      this.socketFailing.delete(gatewayId);
      return prober;
    } catch (error) {
      // Retried every round; logged once until it works (CAP_NET_RAW / CAP_NET_ADMIN missing, …).
      if (!this.socketFailing.has(gatewayId)) {
        this.socketFailing.add(gatewayId);
        this.log(LOG.uplinkProbeSocket, {
          gateway: gatewayId,
          method: gatewayProbeSettings(config, gatewayId).method,
          error: errorMessage(error),
        });
      }
      return null;
    }
  }
}
