// Idle footprint: a pair of the same daemon (r1 master of every instance, r2 backup) runs 1 or 50
// VRRP instances on one interface (VRIDs 1..N, one VIP each, unicast + auth PASS, advert_int 1);
// once every instance has settled, RSS and CPU seconds of both routers' processes are sampled
// at the start and at the end of an idle window. vrrpd runs a third configuration: 50 instances
// with the Prometheus endpoint and an uplink group (netgwm.yml, one gateway and check site on the
// segment, following VI_1) — what loads node:http, yaml and raw-socket. The configurations run side by side,
// each in its own lab, so the window is spent once.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DaemonSet, keepalivedConfig, keepalivedState, status, waitFor } from '../lab/daemons.js';
import type { DaemonKind, DaemonSetOptions, RunningDaemon, VrrpInstanceOptions } from '../lab/daemons.js';
import { createRouterSegment, segmentAddressOf } from '../lab/topology.js';
import { AUTH_PASSWORD } from '../interop/pairing.js';
import { daemonUsage, type ProcessUsage } from './process-usage.js';

/** What runs besides the instances: nothing, or (vrrpd only) metrics and an uplink group. */
export type FootprintExtras = 'plain' | 'metrics+uplinks';

export interface FootprintConfiguration {
  kind: DaemonKind;
  instances: number;
  extras: FootprintExtras;
}

export interface FootprintSample extends FootprintConfiguration {
  windowSeconds: number;
  master: ProcessUsage;
  backup: ProcessUsage;
}

/** A configuration that could not be measured, and why (shown in the table instead of numbers). */
export interface FootprintFailure extends FootprintConfiguration {
  error: string;
}

const SETTLE_TIMEOUT_MS = 20_000;
/** Let start-up work (module loading, first GARP rounds) finish before the window opens. */
const WARMUP_MS = 6000;
/** The metrics endpoint inside each router's own namespace (loopback only). */
const METRICS_LISTEN = '127.0.0.1:9650';
/** The uplink group's gateway and check site: the lab client, on the segment. */
const UPLINK_GATEWAY = segmentAddressOf('c1');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A netgwm.yml with one gateway on the segment, writing its files under `dir`. */
function uplinkYaml(dir: string): string {
  return [
    'gateways:',
    `  segment: {ip: ${UPLINK_GATEWAY}, dev: eth0, priority: 1}`,
    'check_sites:',
    `  - ${UPLINK_GATEWAY}`,
    'vrrpd:',
    '  interval: 1',
    '  log_file: null',
    '  status_dir: null',
    '  mode_file: null',
    `  state_file: ${join(dir, 'uplinks.json')}`,
    '',
  ].join('\n');
}

export function footprintConfig(role: 'r1' | 'r2', count: number, uplinkConfigPath?: string): string {
  const self = segmentAddressOf(role);
  const peer = segmentAddressOf(role === 'r1' ? 'r2' : 'r1');
  const instances: VrrpInstanceOptions[] = [];
  for (let vrid = 1; vrid <= count; vrid++) {
    instances.push({
      name: `VI_${vrid}`,
      vrid,
      priority: role === 'r1' ? 200 : 100,
      unicastSrc: self,
      unicastPeers: [peer],
      authPass: AUTH_PASSWORD,
      // 192.0.2.151 and up: clear of the routers (.1, .2), the client (.100) and the usual VIP (.254).
      vips: [`192.0.2.${150 + vrid}/24`],
    });
  }
  const uplinks = uplinkConfigPath
    ? `uplink_group SEGMENT {\n  config ${uplinkConfigPath}\n  follow_instance VI_1\n}\n`
    : '';
  return keepalivedConfig(instances) + uplinks;
}

/** How many of the daemon's instances VI_1..VI_count report `state`. */
async function instancesIn(daemon: RunningDaemon, state: string, count: number): Promise<number> {
  const names = Array.from({ length: count }, (_, i) => `VI_${i + 1}`);
  if (daemon.kind === 'keepalived')
    return names.filter((name) => keepalivedState(daemon, name) === state).length;
  const snapshot = await status(daemon);
  return (snapshot?.instances ?? []).filter((i) => names.includes(i.name) && i.state === state).length;
}

function delta(before: ProcessUsage, after: ProcessUsage): ProcessUsage {
  return { ...after, cpuSeconds: after.cpuSeconds - before.cpuSeconds };
}

export interface MeasureOptions {
  /** How vrrpd is run (see DaemonSetOptions); the probe uses it to try node flags or a bundle. */
  daemonSet?: DaemonSetOptions;
  /** Called once both routers have settled, before the window (the probe's own readings). */
  onSettled?(master: RunningDaemon, backup: RunningDaemon): Promise<void> | void;
}

export async function measureFootprint(
  configuration: FootprintConfiguration,
  windowSeconds: number,
  options: MeasureOptions = {},
): Promise<FootprintSample> {
  const { kind, instances: count, extras } = configuration;
  const segment = await createRouterSegment();
  const daemons = new DaemonSet(segment.lab, options.daemonSet);
  const files = mkdtempSync(join(tmpdir(), 'vrrpd-footprint-'));
  try {
    const withExtras = kind === 'vrrpd' && extras === 'metrics+uplinks';
    const start = (role: 'r1' | 'r2') => {
      let uplinkPath: string | undefined;
      if (withExtras) {
        uplinkPath = join(files, `${role}-netgwm.yml`);
        writeFileSync(uplinkPath, uplinkYaml(join(files, role)));
      }
      const args = withExtras ? ['--metrics-listen', METRICS_LISTEN] : [];
      return daemons.start(kind, role, footprintConfig(role, count, uplinkPath), args);
    };
    const master = start('r1');
    const backup = start('r2');
    const settled = await waitFor(
      async () =>
        (await instancesIn(master, 'MASTER', count)) === count &&
        (await instancesIn(backup, 'BACKUP', count)) === count,
      SETTLE_TIMEOUT_MS,
      200,
    );
    if (!settled) {
      const masters = await instancesIn(master, 'MASTER', count);
      const backups = await instancesIn(backup, 'BACKUP', count);
      throw new Error(
        `did not settle in ${SETTLE_TIMEOUT_MS / 1000} s: r1 MASTER of ${masters}/${count}, r2 BACKUP of ${backups}/${count}`,
      );
    }
    await sleep(WARMUP_MS);
    await options.onSettled?.(master, backup);
    const masterBefore = daemonUsage(master);
    const backupBefore = daemonUsage(backup);
    await sleep(windowSeconds * 1000);
    return {
      ...configuration,
      windowSeconds,
      master: delta(masterBefore, daemonUsage(master)),
      backup: delta(backupBefore, daemonUsage(backup)),
    };
  } finally {
    await daemons.cleanup();
    await segment.lab.teardown();
    rmSync(files, { recursive: true, force: true });
  }
}

/** What the bench measures: both daemons at 1 and 50 instances, and vrrpd with its extras. */
export const FOOTPRINT_CONFIGURATIONS: readonly FootprintConfiguration[] = [
  { kind: 'vrrpd', instances: 1, extras: 'plain' },
  { kind: 'vrrpd', instances: 50, extras: 'plain' },
  { kind: 'vrrpd', instances: 50, extras: 'metrics+uplinks' },
  { kind: 'keepalived', instances: 1, extras: 'plain' },
  { kind: 'keepalived', instances: 50, extras: 'plain' },
];

export function describeConfiguration(c: FootprintConfiguration): string {
  return `${c.kind} × ${c.instances}${c.extras === 'plain' ? '' : ` (${c.extras})`}`;
}

export async function runFootprintBench(
  windowSeconds: number,
  progress: (line: string) => void,
): Promise<{ samples: FootprintSample[]; failures: FootprintFailure[] }> {
  const results = await Promise.allSettled(
    FOOTPRINT_CONFIGURATIONS.map((configuration) => measureFootprint(configuration, windowSeconds)),
  );
  const samples: FootprintSample[] = [];
  const failures: FootprintFailure[] = [];
  results.forEach((result, i) => {
    const configuration = FOOTPRINT_CONFIGURATIONS[i]!;
    const name = describeConfiguration(configuration);
    if (result.status === 'fulfilled') {
      samples.push(result.value);
      progress(
        `footprint ${name}: master ${(result.value.master.rssKiB / 1024).toFixed(1)} MiB ` +
          `${result.value.master.cpuSeconds.toFixed(2)} s CPU`,
      );
    } else {
      const error = result.reason instanceof Error ? result.reason.message : String(result.reason);
      failures.push({ ...configuration, error });
      progress(`footprint ${name} failed: ${error}`);
    }
  });
  return { samples, failures };
}
