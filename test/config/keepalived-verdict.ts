// What keepalived 2.2.7 makes of a configuration, for the agreement test: its `-t` exit status, and
// — from a short real run with `-d` inside the test's network namespace — whether it runs the
// file at all and the instances it runs (state, priority, addresses, peers, tracked scripts), read
// from its configuration dump. `keepalived -t` alone cannot say whether keepalived runs a file:
// it exits 5 both for mistakes it runs past and for some it stops on (a duplicate VRID), and 5
// rather than 4 for an absent interface once another complaint came first.

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeBytes } from '../../src/packet/byte-text.js';
import type { VrrpdConfig } from '../../src/config/model/types.js';

const TEST_TIMEOUT_MS = 10_000;
/** The dump is written within a few hundred milliseconds; this bounds a run that never writes it. */
const RUN_LIMIT_MS = 6000;
/** After the dump, long enough for a start-up failure that follows it to show. */
const SETTLE_MS = 400;
const STOP_LIMIT_MS = 4000;
const POLL_MS = 50;

/** The parts of an instance both daemons must agree on. */
export interface InstanceView {
  state: string;
  priority: number;
  /** `ADDR/PREFIX`, in advert order. */
  vips: string[];
  peers: string[];
  /** SIMPLE_PASSWORD or none, as keepalived names them. */
  auth: string;
  /** The password's bytes, as latin1 text (each byte one character). */
  password: string | null;
  /** The instance's own tracked vrrp_scripts, sorted. */
  scripts: string[];
  /** The instance's own track_bfd entries as keepalived dumps them: `NAME: weight W[ reverse]`. */
  bfds: string[];
  /** down_timer_adverts as the instance runs it (after strict mode's reset). */
  downTimerAdverts: number;
  /** Unicast instances: old_unicast_checksum as keepalived names it (no, never, config). */
  unicastChecksum: string | null;
}

export interface ModelView {
  instances: Record<string, InstanceView>;
  /** Sync group name → member instances, sorted. */
  syncGroups: Record<string, string[]>;
}

export interface KeepalivedVerdict {
  testExit: number | null;
  testOutput: string;
  runs: boolean;
  /** Why keepalived stopped, when it did. */
  stopReason: string | null;
  model: ModelView | null;
  /** Scripts keepalived disabled because their file is absent here (a host matter, not the file's). */
  disabledScripts: string[];
}

export function keepalivedTest(
  namespace: string,
  file: string,
  configId: string,
): Promise<{ status: number | null; output: string }> {
  // Asynchronous, so the concurrent cases of the agreement test really overlap.
  return new Promise((resolve) => {
    execFile(
      'ip',
      ['netns', 'exec', namespace, 'keepalived', '-t', '-f', file, '-i', configId],
      { encoding: 'utf8', timeout: TEST_TIMEOUT_MS },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({
          status: error ? (typeof code === 'number' ? code : null) : 0,
          output: `${stdout}${stderr}`,
        });
      },
    );
  });
}

/** Runs keepalived (VRRP only, foreground, dump on) until it has dumped its configuration or stopped. */
export async function keepalivedRun(
  namespace: string,
  file: string,
  configId: string,
): Promise<{ log: string; exitedEarly: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'vrrpd-kl-run-'));
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      namespace,
      'keepalived',
      '-n',
      '-l',
      '-d',
      '-P',
      // No BFD process: its own dump would interleave with the VRRP process's (the VRRP process
      // still reads bfd_instance names for track_bfd).
      '-B',
      '-f',
      file,
      '-i',
      configId,
      '-p',
      join(dir, 'keepalived.pid'),
      '-r',
      join(dir, 'vrrp.pid'),
      '-c',
      join(dir, 'checkers.pid'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // latin1 keeps every byte of the log as one character (auth_pass bytes are compared as bytes).
  const log = (): string => Buffer.concat(chunks).toString('latin1');
  try {
    const deadline = Date.now() + RUN_LIMIT_MS;
    while (!exited && Date.now() < deadline && !log().includes('------< Interfaces >------'))
      await sleep(POLL_MS);
    if (!exited) await sleep(SETTLE_MS);
    const exitedEarly = exited;
    if (!exited && child.pid !== undefined) {
      // `ip netns exec` execs keepalived, so this pid is keepalived's parent, which stops its child.
      process.kill(child.pid, 'SIGTERM');
      const stopBy = Date.now() + STOP_LIMIT_MS;
      while (!exited && Date.now() < stopBy) await sleep(POLL_MS);
      if (!exited) process.kill(child.pid, 'SIGKILL');
    }
    return { log: log(), exitedEarly };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TIMESTAMP = /^\w{3} \w{3} +\d+ [\d:]+ \d{4}: /;

/** The instances and sync groups of a `keepalived -d` dump. */
export function parseDump(log: string): ModelView {
  const model: ModelView = { instances: {}, syncGroups: {} };
  let section = '';
  let instance: InstanceView | null = null;
  let group: string[] | null = null;
  let list: string[] | null = null;
  let listIndent = 0;
  for (const raw of log.split('\n')) {
    const line = raw.replace(TIMESTAMP, '');
    const indent = line.length - line.trimStart().length;
    const text = line.trim();
    const header = /^------< (.*) >------$/.exec(text);
    if (header) {
      section = header[1] as string;
      instance = null;
      group = null;
      list = null;
      continue;
    }
    // The dump's lines are indented; keepalived's other processes log unindented lines into the
    // same output, possibly in the middle of the dump.
    if (indent === 0) continue;
    if (list && indent > listIndent && text !== '') {
      list.push(list === instance?.bfds ? text : (text.split(/\s+/)[0] as string));
      continue;
    }
    if (list === instance?.vips) {
      // keepalived prints a host address without its prefix length.
      instance.vips = instance.vips.map((v) => (v.includes('/') ? v : `${v}/${v.includes(':') ? 128 : 32}`));
    }
    list = null;
    if (section === 'VRRP Topology') {
      const start = /^VRRP Instance = (.+)$/.exec(text);
      if (start && indent === 1) {
        instance = {
          state: '',
          priority: 0,
          vips: [],
          peers: [],
          auth: 'none',
          password: null,
          scripts: [],
          bfds: [],
          downTimerAdverts: 0,
          unicastChecksum: null,
        };
        model.instances[start[1] as string] = instance;
        continue;
      }
      if (!instance) continue;
      const field = /^([^=]+?) = (.*)$/.exec(text);
      if (field && field[1] === 'Wantstate') instance.state = field[2] as string;
      else if (field && field[1] === 'Priority') instance.priority = Number(field[2]);
      else if (field && field[1] === 'Authentication type') instance.auth = field[2] as string;
      else if (field && field[1] === 'Password') instance.password = field[2] as string;
      else if (field && field[1] === 'Down timer adverts') instance.downTimerAdverts = Number(field[2]);
      else if (field && field[1] === 'Unicast checksum compatibility') instance.unicastChecksum = field[2]!;
      else if (/^Virtual IP \(\d+\):$/.test(text)) [list, listIndent] = [instance.vips, indent];
      else if (text === 'Unicast Peer :') [list, listIndent] = [instance.peers, indent];
      else if (text === 'Tracked scripts :') [list, listIndent] = [instance.scripts, indent];
      else if (text === 'Tracked BFDs :') [list, listIndent] = [instance.bfds, indent];
    } else if (section === 'VRRP Sync groups') {
      const start = /^VRRP Sync Group = ([^,]+),/.exec(text);
      if (start) {
        group = [];
        model.syncGroups[start[1] as string] = group;
      } else if (group && text === 'VRRP member instances :') {
        [list, listIndent] = [group, indent];
      }
    }
  }
  for (const view of Object.values(model.instances)) view.scripts.sort();
  for (const members of Object.values(model.syncGroups)) members.sort();
  return model;
}

export async function keepalivedVerdict(
  namespace: string,
  file: string,
  configId: string,
): Promise<KeepalivedVerdict> {
  const test = await keepalivedTest(namespace, file, configId);
  const { log, exitedEarly } = await keepalivedRun(namespace, file, configId);
  const stop = /exited with permanent error \w+|Non-existent interface specified in configuration/.exec(log);
  const runs = !exitedEarly && stop === null && log.includes('------< VRRP Topology >------');
  return {
    testExit: test.status,
    testOutput: test.output,
    runs,
    stopReason: runs ? null : (stop?.[0] ?? 'stopped before dumping its configuration'),
    model: runs ? parseDump(log) : null,
    disabledScripts: [...log.matchAll(/Disabling track script (\S+) since not found/g)].map(
      (m) => m[1] as string,
    ),
  };
}

/** The same view of vrrpd's model. */
export function vrrpdView(config: VrrpdConfig): ModelView {
  const instances: Record<string, InstanceView> = {};
  for (const instance of config.instances) {
    // keepalived lists an instance's own tracked scripts; its group's are listed with the group.
    const scripts = new Set(instance.trackScripts.map((t) => t.name));
    instances[instance.name] = {
      state: instance.state,
      priority: instance.priority,
      vips: instance.vips.map((v) => `${v.address}/${v.prefix}`),
      peers: instance.unicastPeers ?? [],
      auth: { PASS: 'SIMPLE_PASSWORD', AH: 'IPSEC_AH', none: 'none' }[instance.authType],
      password:
        // keepalived's dump shows no password for AH.
        instance.authType === 'PASS' && instance.authPass !== null
          ? encodeBytes(instance.authPass).toString('latin1')
          : null,
      scripts: [...scripts].sort(),
      bfds: instance.trackBfds.map((t) => {
        const bfd = config.bfdInstances.find((b) => b.name === t.name);
        const reverse = t.reverse ?? bfd?.weightReverse ?? false;
        return `${t.name}: weight ${t.weight ?? bfd?.weight ?? 0}${reverse ? ' reverse' : ''}`;
      }),
      downTimerAdverts: instance.downTimerAdverts,
      unicastChecksum: instance.unicastPeers
        ? { detect: 'no', never: 'never', always: 'config' }[instance.oldUnicastChecksum]
        : null,
    };
  }
  const syncGroups: Record<string, string[]> = {};
  for (const group of config.syncGroups) syncGroups[group.name] = [...group.instances].sort();
  return { instances, syncGroups };
}
