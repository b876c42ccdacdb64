// `vrrpd: gateways: ID: {…}` in netgwm.yml: per-gateway probe settings (what to probe, how, how
// often, how many rounds decide). Every key overrides the section's value of the same meaning for
// that gateway only. One table entry per key, read
// by the parser and rendered into docs/config-reference.md, as for the section's own keys.

import { isIpv4 } from '../../packet/address.js';
import { canonicalIpv6 } from '../../packet/address6.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import { didYouMean } from '../report/suggest.js';
import type { GatewaySettings, ProbeMethod } from './types.js';
import { readChoice, readInteger, readNumber, type FieldContext } from './values.js';
import type { NetgwmYamlReader, YamlEntry } from './yaml-reader.js';

export interface GatewaySettingSpec {
  key: string;
  syntax: string;
  defaultText: string;
  doc: string;
  read: (ctx: FieldContext, target: GatewaySettings) => void;
}

export const PROBE_METHODS: readonly ProbeMethod[] = ['icmp', 'arp', 'tcp', 'dns'];
const ms = (seconds: number): number => Math.round(seconds * 1000);

function readTrackIps(ctx: FieldContext): string[] | undefined {
  const { reader } = ctx;
  const one = reader.scalar(ctx.node);
  const items =
    typeof one === 'string'
      ? [{ node: ctx.node, path: ctx.path }]
      : reader.items(ctx.node, ctx.path, 'track_ip');
  if (!items) return undefined;
  if (items.length === 0) {
    reader.report(DiagnosticCodes.missing, ctx.node, ctx.path, 'track_ip is empty');
    return undefined;
  }
  const addresses: string[] = [];
  for (const item of items) {
    const value = reader.scalar(item.node);
    const address = typeof value !== 'string' ? null : isIpv4(value) ? value : canonicalIpv6(value);
    if (typeof value !== 'string' || address === null) {
      reader.report(
        DiagnosticCodes.value,
        item.node,
        item.path,
        `expected an IPv4 or IPv6 address, got ${typeof value === 'string' ? `'${value}'` : String(value)}`,
        'track_ip takes addresses, not names: a probe must not depend on DNS through the uplink it checks',
      );
      return undefined;
    }
    addresses.push(address);
  }
  return addresses;
}

/** The keys of one `vrrpd: gateways: ID:` entry. */
export const GATEWAY_SETTINGS: readonly GatewaySettingSpec[] = [
  {
    key: 'track_ip',
    syntax: '<address> | [<address>, …]',
    defaultText: 'check_sites',
    doc: "This gateway's own check sites (addresses only, IPv4 or IPv6 as the gateway), instead of check_sites; quorum counts among them. Ignored by the arp probe, which asks the gateway itself.",
    read: (ctx, t) => {
      const v = readTrackIps(ctx);
      if (v !== undefined) t.trackIps = v;
    },
  },
  {
    key: 'probe',
    syntax: 'icmp | arp | tcp | dns',
    defaultText: 'icmp',
    doc: 'How the gateway is checked, for networks that drop ICMP: echo to each site; an RFC 5227 ARP probe (sender 0.0.0.0) to the gateway itself on its dev, IPv4 only (proves the next hop answers, nothing beyond it); TCP connect to each site on port (a refusal counts as an answer: the path works); DNS query for dns_query to each site on port, any response counting. ICMP, TCP and DNS probes go through this gateway (socket mark and its probe table).',
    read: (ctx, t) => {
      const v = readChoice(ctx, PROBE_METHODS);
      if (v !== undefined) t.probe = v;
    },
  },
  {
    key: 'port',
    syntax: '<1-65535>',
    defaultText: '53 for dns; required for tcp',
    doc: 'Destination port of the tcp and dns probes.',
    read: (ctx, t) => {
      const v = readInteger(ctx, 1, 65535);
      if (v !== undefined) t.port = v;
    },
  },
  {
    key: 'dns_query',
    syntax: '<name>',
    defaultText: '. (the root)',
    doc: 'Name the dns probe asks for (type A, recursion desired); any response with the query id, even NXDOMAIN or REFUSED, proves the path.',
    read: (ctx, t) => {
      const v = ctx.reader.scalar(ctx.node);
      if (typeof v !== 'string' || !/^(\.|([A-Za-z0-9_-]{1,63}\.)*[A-Za-z0-9_-]{1,63}\.?)$/.test(v))
        ctx.reader.report(DiagnosticCodes.value, ctx.node, ctx.path, `expected a DNS name, got ${String(v)}`);
      else t.dnsQuery = v;
    },
  },
  {
    key: 'count',
    syntax: '<1-10>',
    defaultText: 'the section’s count',
    doc: 'Probes per site per round.',
    read: (ctx, t) => {
      const v = readInteger(ctx, 1, 10);
      if (v !== undefined) t.count = v;
    },
  },
  {
    key: 'timeout',
    syntax: '<seconds>',
    defaultText: 'the section’s timeout (at most interval)',
    doc: 'How long a probe waits for its answer; at most this gateway’s shortest interval.',
    read: (ctx, t) => {
      const v = readNumber(ctx, 0.01, 3600, 'seconds');
      if (v !== undefined) t.timeoutMs = ms(v);
    },
  },
  ...(['interval', 'failure_interval', 'recovery_interval'] as const).map((key): GatewaySettingSpec => ({
    key,
    syntax: '<seconds>',
    defaultText: `the section’s ${key}`,
    doc: `This gateway's ${key}.`,
    read: (ctx, t) => {
      const v = readNumber(ctx, 0.05, 3600, 'seconds');
      if (v === undefined) return;
      if (key === 'interval') t.intervalMs = ms(v);
      else if (key === 'failure_interval') t.failureIntervalMs = ms(v);
      else t.recoveryIntervalMs = ms(v);
    },
  })),
  ...(['quorum', 'rise', 'fall'] as const).map((key): GatewaySettingSpec => ({
    key,
    syntax: key === 'quorum' ? '<1-N>' : '<1-100>',
    defaultText: `the section’s ${key}`,
    doc: `This gateway's ${key === 'quorum' ? 'quorum (among its own sites)' : key}.`,
    read: (ctx, t) => {
      const v = readInteger(ctx, 1, key === 'quorum' ? 1000 : 100);
      if (v !== undefined) t[key] = v;
    },
  })),
  {
    key: 'tier',
    syntax: '<1-100>',
    defaultText: 'unset (NetGWM selection by priority)',
    doc: 'Gateway groups as pfSense has them: once any gateway has a tier, every gateway needs one; the default route is a multipath route over the healthy gateways of the best tier that has any, weighted by weight, and fails over to the next tier when none is left. priority then only orders gateways for status and hooks.',
    read: (ctx, t) => {
      const v = readInteger(ctx, 1, 100);
      if (v !== undefined) t.tier = v;
    },
  },
  {
    key: 'weight',
    syntax: '<1-256>',
    defaultText: '1',
    doc: "The gateway's share of new flows inside its tier (the multipath route's nexthop weight).",
    read: (ctx, t) => {
      const v = readInteger(ctx, 1, 256);
      if (v !== undefined) t.weight = v;
    },
  },
];

/** Reads `vrrpd: gateways:`; ids are checked against netgwm.yml's gateways by the caller. */
export function readGatewaySettings(
  reader: NetgwmYamlReader,
  entry: YamlEntry,
): { settings: Record<string, GatewaySettings>; entries: YamlEntry[] } | undefined {
  const gateways = reader.entries(entry.value, entry.path, 'vrrpd.gateways');
  if (!gateways) return undefined;
  const specs = new Map(GATEWAY_SETTINGS.map((spec) => [spec.key, spec]));
  const settings: Record<string, GatewaySettings> = {};
  for (const gateway of gateways) {
    const fields = reader.entries(gateway.value, gateway.path, `vrrpd.gateways.${gateway.key}`);
    if (!fields) continue;
    const target: GatewaySettings = {};
    for (const field of fields) {
      const spec = specs.get(field.key);
      if (!spec) {
        reader.report(
          DiagnosticCodes.keyword,
          field.keyNode,
          field.path,
          `unknown key '${field.key}' in vrrpd.gateways.${gateway.key}`,
          didYouMean(field.key, [...specs.keys()]),
        );
        continue;
      }
      spec.read({ reader, node: field.value, path: field.path }, target);
    }
    settings[gateway.key] = target;
  }
  return { settings, entries: gateways };
}
