// What a netgwm.yml says, as the configuration layer reads it. Owned here (the uplink policy in
// src/uplink has its own vocabulary, and the daemon's uplink shell maps one onto the other), so
// neither src/config nor src/uplink imports the other.

import type { UplinkGroupDecl } from '../model/types.js';

export type ConntrackFlushMode = 'none' | 'udp' | 'all';

/** One entry of netgwm.yml's `gateways:`. NetGWM allows either `ip` or `dev` to be absent (not both). */
export interface NetgwmGateway {
  id: string;
  ip: string | null;
  dev: string | null;
  /** Lower is preferred (NetGWM: 1 is the primary). */
  priority: number;
}

export type ProbeMethod = 'icmp' | 'arp' | 'tcp' | 'dns';

/** One `vrrpd: gateways: ID:` entry as written: each key overrides the section's for that gateway. */
export interface GatewaySettings {
  trackIps?: string[];
  probe?: ProbeMethod;
  port?: number;
  dnsQuery?: string;
  count?: number;
  timeoutMs?: number;
  intervalMs?: number;
  failureIntervalMs?: number;
  recoveryIntervalMs?: number;
  quorum?: number;
  rise?: number;
  fall?: number;
  tier?: number;
  weight?: number;
}

/** vrrpd's extensions: the `vrrpd:` section, every key with its default filled in. */
export interface NetgwmExtensions {
  intervalMs: number;
  /** Round interval while an UP gateway is failing rounds (before `fall` brings it DOWN). */
  failureIntervalMs: number | null;
  /** Round interval while a DOWN gateway is answering (before `rise` brings it UP). */
  recoveryIntervalMs: number | null;
  /** Per-gateway overrides, by gateway id (`vrrpd: gateways:`). */
  gatewaySettings: Record<string, GatewaySettings>;
  timeoutMs: number;
  count: number;
  quorum: number;
  rise: number;
  fall: number;
  /** Fraction 0..1, or null. */
  maxLoss: number | null;
  /** Recovery values (hysteresis); null: the failure value. */
  lossRecover: number | null;
  maxRttMs: number | null;
  rttRecoverMs: number | null;
  maxJitterMs: number | null;
  jitterRecoverMs: number | null;
  lossWindowRounds: number;
  resolveIntervalMs: number;
  routeTable: number;
  probeTableBase: number;
  probeRulePriorityBase: number;
  probeFwmarkBase: number;
  conntrackFlush: ConntrackFlushMode;
  /** Established flows keep their uplink while it is UP (connmark through nftables). */
  stickyFlows: boolean;
  /** null disables hooks. */
  postReplaceDir: string | null;
  /** Per-gateway up/down hooks (mwan3 hotplug-style); null disables them. */
  eventDir: string | null;
  hookTimeoutMs: number;
  /** NetGWM-format switch log; null = not written; may start with `$LOGS_DIRECTORY` (the default). */
  logFile: string | null;
  stateFile: string;
  /** NetGWM's runtime pin file; null: not read (and `vrrpctl uplink pin` refused). */
  modeFile: string | null;
  /** NetGWM's gwstore.yml and per-gateway status files go here; null: not written. */
  statusDir: string | null;
}

export type UplinkFamily = 'ipv4' | 'ipv6';

export interface NetgwmConfig extends NetgwmExtensions {
  file: string;
  /**
   * The group's address family, from its gateways' (or else its check sites') addresses: one
   * family per group, whose default route it owns. IPv4 and IPv6 uplinks are two groups.
   */
  family: UplinkFamily;
  /** In file order. */
  gateways: NetgwmGateway[];
  minUptimeSeconds: number;
  checkSites: string[];
  /** Accepted for compatibility: vrrpd always probes every gateway. */
  checkAllGateways: boolean;
  /** A gateway id pins the route to it; null is NetGWM's `auto`. */
  mode: string | null;
}

/** An uplink_group block together with its parsed netgwm.yml. */
export interface LoadedUplinkGroup {
  decl: UplinkGroupDecl;
  config: NetgwmConfig;
}

/** An uplink_group whose netgwm.yml cannot be used: it runs in an error state, VRRP without it. */
export interface FailedUplinkGroup {
  decl: UplinkGroupDecl;
  /** The errors, formatted as `FILE:LINE: error: …` lines. */
  errors: string[];
}
