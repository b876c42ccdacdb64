// netgwm.yml, accepted unchanged (NetGWM's keys: gateways, min_uptime, check_sites,
// check_all_gateways, mode), plus vrrpd's extensions in a `vrrpd:` section of the same file.
// NetGWM ignores keys it does not know, so one file can serve both during a migration, and the
// uplink module can run alone from it (`vrrpd --uplinks-only -c netgwm.yml`). Defaults of the
// extensions are in NETGWM_EXTENSIONS (extensions.ts), the single place docs come from.
//
// Every problem is reported at once into the DiagnosticSink, as `FILE:LINE: error: message
// (key path: gateways.operator1.priority)`. What NetGWM accepts is accepted (ids with spaces,
// float priorities, a `mode` naming no gateway, two gateways with one next hop), with a warning
// where it may not do what was meant; what NetGWM cannot run with (no priority, neither ip nor
// dev) is an error. An error puts only this uplink group in an error state, never VRRP.

import type { Node } from 'yaml';
import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import { EXTENSION_DEFAULTS, NETGWM_EXTENSIONS } from './extensions.js';
import { readGatewaySettings } from './gateway-settings.js';
import { checkGatewaySettings, shortestInterval } from './gateway-probes.js';
import type { NetgwmConfig, NetgwmExtensions, NetgwmGateway } from './types.js';
import { checkFamilies, groupFamily } from './family.js';
import { NetgwmYamlReader, type YamlEntry } from './yaml-reader.js';
import {
  readBoolean,
  readCheckSite,
  readInterfaceName,
  readIpAddress,
  readNumber,
  type FieldContext,
} from './values.js';
import { didYouMean } from '../report/suggest.js';

const NETGWM_KEYS = ['gateways', 'min_uptime', 'check_sites', 'check_all_gateways', 'mode', 'vrrpd'] as const;
const GATEWAY_KEYS = ['ip', 'dev', 'priority'] as const;
/** NetGWM's sample value; NetGWM itself needs the key in auto mode. */
const DEFAULT_MIN_UPTIME_SECONDS = 900;

function unknownKey(
  reader: NetgwmYamlReader,
  entry: YamlEntry,
  known: readonly string[],
  where: string,
): void {
  reader.report(
    DiagnosticCodes.ignored,
    entry.keyNode,
    entry.path,
    `unknown key '${entry.key}' in ${where} is ignored`,
    didYouMean(entry.key, known),
  );
}

/** NetGWM takes any YAML key as an id; say where one will not behave as it may seem. */
function warnAboutId(reader: NetgwmYamlReader, entry: YamlEntry): void {
  const id = entry.key;
  const warn = (message: string, hint?: string): void =>
    reader.report(DiagnosticCodes.suspicious, entry.keyNode, entry.path, message, hint);
  if (/[\s\p{Cc}]/u.test(id)) {
    warn(
      `gateway id '${id}' contains spaces or control characters: accepted; post-replace.d hooks get it as one argument (NetGWM's shell split it into several)`,
    );
  }
  if (id.includes('/'))
    warn(`gateway id '${id}' contains '/': accepted, but it gets no status file of its own`);
  if (id === 'auto') warn("gateway id 'auto' cannot be pinned: mode auto means automatic selection");
}

function readGateway(reader: NetgwmYamlReader, entry: YamlEntry): NetgwmGateway | null {
  warnAboutId(reader, entry);
  const fields = reader.entries(entry.value, entry.path, `gateway ${entry.key}`);
  if (!fields) return null;
  let ip: string | null | undefined = null;
  let dev: string | null | undefined = null;
  let priority: number | undefined;
  let priorityGiven = false;
  for (const field of fields) {
    const ctx: FieldContext = { reader, node: field.value, path: field.path };
    // NetGWM treats `ip:` with no value as absent.
    const isNull = reader.scalar(field.value) === null;
    if (field.key === 'ip') ip = isNull ? null : readIpAddress(ctx);
    else if (field.key === 'dev') dev = isNull ? null : readInterfaceName(ctx);
    else if (field.key === 'priority') {
      priorityGiven = true;
      priority = readNumber(ctx, -1e15, 1e15, '');
      if (priority !== undefined && !Number.isInteger(priority)) {
        reader.report(
          DiagnosticCodes.suspicious,
          field.value,
          field.path,
          `priority ${priority} of gateway ${entry.key} is not a whole number: accepted and compared as a number, as NetGWM does`,
        );
      }
    } else unknownKey(reader, field, GATEWAY_KEYS, `gateway ${entry.key}`);
  }
  if (!priorityGiven) {
    reader.report(
      DiagnosticCodes.missing,
      entry.value ?? entry.keyNode,
      `${entry.path}.priority`,
      `gateway ${entry.key} has no priority`,
      'lower numbers are preferred: 1 is the primary',
    );
  }
  if (ip === null && dev === null) {
    reader.report(
      DiagnosticCodes.missing,
      entry.value ?? entry.keyNode,
      entry.path,
      `gateway ${entry.key} needs an ip, a dev, or both`,
    );
    return null;
  }
  if (ip === undefined || dev === undefined || priority === undefined) return null;
  return { id: entry.key, ip, dev, priority };
}

function readGateways(
  reader: NetgwmYamlReader,
  entry: YamlEntry,
  nodes: Map<string, Node | null>,
): NetgwmGateway[] | undefined {
  const entries = reader.entries(entry.value, entry.path, 'gateways');
  if (!entries) return undefined;
  if (entries.length === 0) {
    reader.report(DiagnosticCodes.missing, entry.value ?? entry.keyNode, entry.path, 'gateways is empty');
    return undefined;
  }
  const gateways: NetgwmGateway[] = [];
  const nextHops = new Map<string, string>();
  let failed = false;
  for (const gatewayEntry of entries) {
    const gateway = readGateway(reader, gatewayEntry);
    nodes.set(gatewayEntry.key, gatewayEntry.value ?? gatewayEntry.keyNode);
    if (!gateway) {
      failed = true;
      continue;
    }
    // Two gateways with the same next hop cannot be told apart in the kernel's route: the first
    // one is taken for it. NetGWM accepts this, so do we, loudly.
    const hop = `${gateway.ip ?? ''} ${gateway.dev ?? ''}`;
    const other = nextHops.get(hop);
    if (other !== undefined) {
      reader.report(
        DiagnosticCodes.suspicious,
        gatewayEntry.keyNode,
        gatewayEntry.path,
        `gateway ${gateway.id} has the same ip and dev as ${other}: a route through them is taken for ${other}`,
      );
    } else nextHops.set(hop, gateway.id);
    gateways.push(gateway);
  }
  return failed ? undefined : gateways;
}

function readCheckSites(reader: NetgwmYamlReader, entry: YamlEntry): string[] | undefined {
  const items = reader.items(entry.value, entry.path, 'check_sites');
  if (!items) return undefined;
  if (items.length === 0) {
    reader.report(
      DiagnosticCodes.missing,
      entry.value,
      entry.path,
      'check_sites is empty',
      'list addresses beyond the operators, e.g. public resolvers',
    );
    return undefined;
  }
  const sites = items.map((item) => readCheckSite({ reader, node: item.node, path: item.path }));
  return sites.every((site): site is string => site !== undefined) ? sites : undefined;
}

function readExtensions(
  reader: NetgwmYamlReader,
  entry: YamlEntry,
  top: TopLevel,
): Partial<NetgwmExtensions> | undefined {
  const entries = reader.entries(entry.value, entry.path, 'the vrrpd section');
  if (!entries) return undefined;
  const specs = new Map(NETGWM_EXTENSIONS.map((spec) => [spec.key, spec]));
  const target: Partial<NetgwmExtensions> = {};
  for (const field of entries) {
    if (field.key === 'gateways') {
      const read = readGatewaySettings(reader, field);
      if (read) {
        target.gatewaySettings = read.settings;
        top.gatewaySettingEntries = read.entries;
      }
      continue;
    }
    const spec = specs.get(field.key);
    if (!spec) {
      reader.report(
        DiagnosticCodes.keyword,
        field.keyNode,
        field.path,
        `unknown key '${field.key}' in the vrrpd section`,
        didYouMean(field.key, [...specs.keys()]),
      );
      continue;
    }
    spec.read({ reader, node: field.value, path: field.path }, target);
  }
  return target;
}

interface TopLevel {
  gateways?: NetgwmGateway[];
  minUptimeSeconds?: number;
  checkSites?: string[];
  checkAllGateways?: boolean;
  mode?: { value: string; entry: YamlEntry } | null;
  extensions: Partial<NetgwmExtensions>;
  extensionsEntry?: YamlEntry;
  /** Each gateway's node in `gateways:`, for errors found later. */
  gatewayNodes: Map<string, Node | null>;
  /** `vrrpd: gateways:` entries, for errors about ids. */
  gatewaySettingEntries?: YamlEntry[];
}

function readTopLevel(reader: NetgwmYamlReader, root: Node | null): TopLevel | null {
  const entries = reader.entries(root, '', 'netgwm.yml');
  if (!entries) return null;
  const top: TopLevel = { extensions: {}, gatewayNodes: new Map() };
  const seen = new Set<string>();
  for (const entry of entries) {
    seen.add(entry.key);
    const ctx: FieldContext = { reader, node: entry.value, path: entry.path };
    switch (entry.key) {
      case 'gateways':
        top.gateways = readGateways(reader, entry, top.gatewayNodes);
        break;
      case 'min_uptime':
        top.minUptimeSeconds = readNumber(ctx, 0, 31_536_000, 'seconds');
        break;
      case 'check_sites':
        top.checkSites = readCheckSites(reader, entry);
        break;
      case 'check_all_gateways':
        if (typeof reader.scalar(entry.value) === 'boolean') top.checkAllGateways = readBoolean(ctx);
        else {
          // NetGWM tests `is True`: anything else is false. (It has no effect here anyway.)
          top.checkAllGateways = false;
          reader.report(
            DiagnosticCodes.suspicious,
            entry.value ?? entry.keyNode,
            entry.path,
            'check_all_gateways is not true or false: taken as false, as NetGWM does',
          );
        }
        break;
      case 'mode': {
        const value = reader.scalar(entry.value);
        if (value === null || value === undefined || typeof value === 'object') {
          reader.report(
            DiagnosticCodes.value,
            entry.value ?? entry.keyNode,
            entry.path,
            'mode must be auto or a gateway id',
          );
        } else top.mode = String(value) === 'auto' ? null : { value: String(value), entry };
        break;
      }
      case 'vrrpd':
        top.extensions = readExtensions(reader, entry, top) ?? {};
        top.extensionsEntry = entry;
        break;
      default:
        unknownKey(reader, entry, NETGWM_KEYS, 'netgwm.yml');
    }
  }
  for (const required of ['gateways', 'check_sites'] as const) {
    if (!seen.has(required))
      reader.report(DiagnosticCodes.missing, root, required, `netgwm.yml has no ${required}`);
  }
  return top;
}

/** Cross-checks between keys, reported on the key that has to change. */
function checkCombinations(reader: NetgwmYamlReader, top: TopLevel, config: NetgwmConfig): boolean {
  const errorsBefore = reader.errorCount();
  checkFamilies(reader, config, top.gatewayNodes, top.extensionsEntry?.value ?? null);
  const section = top.extensionsEntry;
  const at = (key: string): { node: Node | null; path: string } => {
    const fields = section && reader.entries(section.value, section.path, 'the vrrpd section');
    const field = fields?.find((f) => f.key === key);
    return { node: field?.value ?? section?.keyNode ?? reader.root, path: `vrrpd.${key}` };
  };
  const shortest = shortestInterval(config, {});
  if (config.timeoutMs > shortest) {
    const { node, path } = at('timeout');
    reader.report(
      DiagnosticCodes.value,
      node,
      path,
      `timeout (${config.timeoutMs / 1000} s) is longer than the shortest interval (${shortest / 1000} s)`,
      'a probe round must end before the next one is due',
    );
  }
  checkGatewaySettings(reader, config, top.gatewaySettingEntries ?? []);
  for (const [fail, recover, failKey, recoverKey] of [
    [config.maxLoss, config.lossRecover, 'max_loss', 'loss_recover'],
    [config.maxRttMs, config.rttRecoverMs, 'max_rtt', 'rtt_recover'],
    [config.maxJitterMs, config.jitterRecoverMs, 'max_jitter', 'jitter_recover'],
  ] as const) {
    if (recover === null) continue;
    const { node, path } = at(recoverKey);
    if (fail === null) reader.report(DiagnosticCodes.missing, node, path, `${recoverKey} needs ${failKey}`);
    else if (recover > fail)
      reader.report(
        DiagnosticCodes.value,
        node,
        path,
        `${recoverKey} is above ${failKey}: an alarm could never end`,
      );
  }
  if (config.quorum > config.checkSites.length) {
    const { node, path } = at('quorum');
    reader.report(
      DiagnosticCodes.value,
      node,
      path,
      `quorum ${config.quorum} is more than the ${config.checkSites.length} check sites`,
    );
  }
  if (top.mode) {
    const pinned = top.mode.value;
    if (!config.gateways.some((gateway) => gateway.id === pinned)) {
      // NetGWM falls back to automatic selection; so do we, but say so.
      config.mode = null;
      reader.report(
        DiagnosticCodes.suspicious,
        top.mode.entry.value,
        'mode',
        `mode '${pinned}' names no gateway: automatic selection, as NetGWM does`,
        didYouMean(
          pinned,
          config.gateways.map((g) => g.id),
        ) ?? 'use auto or one of the gateway ids',
      );
    }
  }
  const count = config.gateways.length;
  const tables = { first: config.probeTableBase + 1, last: config.probeTableBase + count };
  const reserved = [0, 253, 254, 255, config.routeTable];
  if (reserved.some((table) => table >= tables.first && table <= tables.last)) {
    const { node, path } = at('probe_table_base');
    reader.report(
      DiagnosticCodes.conflict,
      node,
      path,
      `probe tables ${tables.first}-${tables.last} include a reserved table or route_table (${config.routeTable})`,
    );
  }
  return reader.errorCount() === errorsBefore;
}

/**
 * Parses netgwm.yml text. Returns the configuration, or null when there was any error (all of
 * them are in the sink; warnings do not prevent a result).
 */
export function parseNetgwmConfig(text: string, file: string, sink: DiagnosticSink): NetgwmConfig | null {
  const errorsBefore = sink.errorCount;
  const reader = new NetgwmYamlReader(file, text, sink);
  if (reader.syntaxFailed) return null;
  const top = readTopLevel(reader, reader.root);
  if (!top || sink.errorCount > errorsBefore) return null;
  if (!top.gateways || !top.checkSites) return null;
  const extensions: NetgwmExtensions = { ...EXTENSION_DEFAULTS, ...withoutUndefined(top.extensions) };
  if (top.extensions.timeoutMs === undefined)
    extensions.timeoutMs = Math.min(EXTENSION_DEFAULTS.timeoutMs, shortestInterval(extensions, {}));
  const config: NetgwmConfig = {
    file,
    family: groupFamily(top.gateways, top.checkSites),
    gateways: top.gateways,
    minUptimeSeconds: top.minUptimeSeconds ?? DEFAULT_MIN_UPTIME_SECONDS,
    checkSites: top.checkSites,
    checkAllGateways: top.checkAllGateways ?? false,
    mode: top.mode?.value ?? null,
    ...extensions,
  };
  if (!checkCombinations(reader, top, config)) return null;
  return config;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
