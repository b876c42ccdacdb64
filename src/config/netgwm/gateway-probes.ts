// Each gateway's probe settings with the section's values filled in where `vrrpd: gateways: ID:`
// says nothing, and the checks that need the whole file (ids that exist, timeouts within the
// intervals, a quorum the gateway's sites can reach, what each probe method needs).

import { DiagnosticCodes } from '../report/diagnostics.js';
import { didYouMean } from '../report/suggest.js';
import type { GatewaySettings, NetgwmConfig, NetgwmExtensions, ProbeMethod } from './types.js';
import type { NetgwmYamlReader, YamlEntry } from './yaml-reader.js';

export const DNS_PORT = 53;
export const DEFAULT_DNS_QUERY = '.';

/** One gateway's probes, every value settled. */
export interface GatewayProbeSettings {
  gatewayId: string;
  method: ProbeMethod;
  /** Its own track_ip (addresses), or null: the group's check_sites. Unused by arp. */
  trackIps: string[] | null;
  /** tcp and dns only. */
  port: number | null;
  dnsQuery: string;
  count: number;
  timeoutMs: number;
  intervalMs: number;
  failureIntervalMs: number;
  recoveryIntervalMs: number;
  quorum: number;
  rise: number;
  fall: number;
}

type IntervalSource = Pick<NetgwmExtensions, 'intervalMs' | 'failureIntervalMs' | 'recoveryIntervalMs'>;

/** The shortest time between two probes of a gateway: its timeout must fit in it. */
export function shortestInterval(section: IntervalSource, own: GatewaySettings): number {
  return Math.min(
    own.intervalMs ?? section.intervalMs,
    own.failureIntervalMs ?? section.failureIntervalMs ?? Infinity,
    own.recoveryIntervalMs ?? section.recoveryIntervalMs ?? Infinity,
  );
}

export function gatewayProbeSettings(config: NetgwmConfig, gatewayId: string): GatewayProbeSettings {
  const own = config.gatewaySettings[gatewayId] ?? {};
  const intervalMs = own.intervalMs ?? config.intervalMs;
  const method = own.probe ?? 'icmp';
  return {
    gatewayId,
    method,
    trackIps: own.trackIps ?? null,
    port: own.port ?? (method === 'dns' ? DNS_PORT : null),
    dnsQuery: own.dnsQuery ?? DEFAULT_DNS_QUERY,
    count: own.count ?? config.count,
    // A gateway whose intervals are shorter than the section's timeout gets a shorter one.
    timeoutMs: own.timeoutMs ?? Math.min(config.timeoutMs, shortestInterval(config, own)),
    intervalMs,
    failureIntervalMs: own.failureIntervalMs ?? config.failureIntervalMs ?? intervalMs,
    recoveryIntervalMs: own.recoveryIntervalMs ?? config.recoveryIntervalMs ?? intervalMs,
    quorum: own.quorum ?? config.quorum,
    rise: own.rise ?? config.rise,
    fall: own.fall ?? config.fall,
  };
}

/** How many sites a gateway's round has (the arp probe asks one: the gateway). */
export function siteCount(config: NetgwmConfig, settings: GatewayProbeSettings): number {
  if (settings.method === 'arp') return 1;
  return (settings.trackIps ?? config.checkSites).length;
}

export function checkGatewaySettings(
  reader: NetgwmYamlReader,
  config: NetgwmConfig,
  entries: readonly YamlEntry[],
): void {
  const ids = config.gateways.map((gateway) => gateway.id);
  checkTiers(reader, config, entries);
  for (const entry of entries) {
    const gateway = config.gateways.find((g) => g.id === entry.key);
    const error = (key: string | null, message: string, hint?: string): void => {
      const field =
        key === null ? undefined : reader.entries(entry.value, entry.path, '')?.find((f) => f.key === key);
      reader.report(
        DiagnosticCodes.value,
        field?.value ?? entry.keyNode,
        key === null ? entry.path : `${entry.path}.${key}`,
        message,
        hint,
      );
    };
    if (!gateway) {
      reader.report(
        DiagnosticCodes.reference,
        entry.keyNode,
        entry.path,
        `vrrpd.gateways names '${entry.key}', which is not one of the gateways`,
        didYouMean(entry.key, ids),
      );
      continue;
    }
    const own = config.gatewaySettings[entry.key] ?? {};
    const settings = gatewayProbeSettings(config, entry.key);
    const shortest = shortestInterval(config, own);
    if (own.timeoutMs !== undefined && own.timeoutMs > shortest)
      error(
        'timeout',
        `timeout (${own.timeoutMs / 1000} s) is longer than this gateway's shortest interval (${shortest / 1000} s)`,
      );
    const sites = siteCount(config, settings);
    if (settings.quorum > sites) {
      error(
        own.quorum !== undefined ? 'quorum' : null,
        `quorum ${settings.quorum} is more than this gateway's ${sites} check site${sites === 1 ? '' : 's'}`,
        own.quorum === undefined ? 'set quorum for this gateway' : undefined,
      );
    }
    if (settings.method === 'tcp' && settings.port === null)
      error('probe', 'the tcp probe needs a port', 'e.g. port: 443');
    if (own.port !== undefined && settings.method !== 'tcp' && settings.method !== 'dns')
      error('port', `port is only used by the tcp and dns probes, not ${settings.method}`);
    if (own.dnsQuery !== undefined && settings.method !== 'dns')
      error('dns_query', `dns_query is only used by the dns probe, not ${settings.method}`);
    if (settings.method === 'arp' && (gateway.ip === null || gateway.dev === null))
      error('probe', 'the arp probe asks the gateway itself: it needs both ip and dev');
    else if (settings.method === 'arp' && config.family === 'ipv6')
      error('probe', 'the arp probe is IPv4 only', 'use icmp, tcp or dns for IPv6 gateways');
  }
}

/** Tiers are all or nothing (a gateway without one would have no place); weight needs them. */
function checkTiers(reader: NetgwmYamlReader, config: NetgwmConfig, entries: readonly YamlEntry[]): void {
  const tiered = config.gateways.filter((gateway) => config.gatewaySettings[gateway.id]?.tier !== undefined);
  const entryOf = (id: string): YamlEntry | undefined => entries.find((entry) => entry.key === id);
  if (tiered.length > 0 && tiered.length < config.gateways.length) {
    const missing = config.gateways
      .filter((gateway) => !tiered.includes(gateway))
      .map((gateway) => gateway.id);
    const first = entryOf(tiered[0]?.id ?? '');
    reader.report(
      DiagnosticCodes.missing,
      first?.keyNode ?? reader.root,
      'vrrpd.gateways',
      `gateways ${missing.join(', ')} have no tier while ${tiered.map((g) => g.id).join(', ')} do`,
      'give every gateway a tier (1 is the best), or none for NetGWM selection by priority',
    );
  }
  if (tiered.length > 0) return;
  for (const gateway of config.gateways) {
    const entry = entryOf(gateway.id);
    if (config.gatewaySettings[gateway.id]?.weight === undefined || !entry) continue;
    const field = reader.entries(entry.value, entry.path, '')?.find((f) => f.key === 'weight');
    reader.report(
      DiagnosticCodes.value,
      field?.value ?? entry.keyNode,
      `${entry.path}.weight`,
      'weight is only used with tiers (a multipath route inside a tier)',
    );
  }
}
