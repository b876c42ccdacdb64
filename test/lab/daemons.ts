// Running real daemons in lab namespaces: vrrpd (compiled, from dist/) and Debian's keepalived,
// each with its own config, control socket / pid files under one temp directory, logs captured.
// Used by the namespace tests, the interop tests, the demo and the benchmarks. Every wait is bounded.

import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendControlRequest } from '../../src/control/client.js';
import type { InstanceStatus, StatusSnapshot } from '../../src/control/status-types.js';
import type { Lab } from './lab.js';
import { vrrpdCommand } from './vrrpd-command.js';

/**
 * The environment a daemon gets from systemd (systemd.exec(5): a fixed PATH, LANG when the host
 * sets one), not the test runner's shell. The runner's variables change what is measured: a shell
 * with NODE_EXTRA_CA_CERTS (set on the machines here) makes every node process read and parse the
 * whole CA bundle before its first line of JavaScript, ~40 ms and ~2 MiB a router never pays.
 */
export function serviceEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ...(process.env.LANG ? { LANG: process.env.LANG } : {}),
    NODE_NO_WARNINGS: '1',
  };
}

export interface VrrpInstanceOptions {
  name?: string;
  interface?: string;
  vrid?: number;
  priority: number;
  advertInt?: number;
  state?: 'MASTER' | 'BACKUP';
  /** Unicast: own address and peers. Omit for multicast. */
  unicastSrc?: string;
  unicastPeers?: string[];
  authPass?: string;
  vips?: string[];
  nopreempt?: boolean;
  preemptDelay?: number;
  version?: 2 | 3;
  /** Extra lines inside the vrrp_instance block. */
  extra?: string[];
}

/** A keepalived.conf with one or more instances, the shape both daemons read. */
export function keepalivedConfig(instances: VrrpInstanceOptions[], globalLines: string[] = []): string {
  const blocks = instances.map((o, i) => {
    const lines = [
      `vrrp_instance ${o.name ?? `VI_${i + 1}`} {`,
      `  state ${o.state ?? 'BACKUP'}`,
      `  interface ${o.interface ?? 'eth0'}`,
      `  virtual_router_id ${o.vrid ?? 51}`,
      `  priority ${o.priority}`,
      `  advert_int ${o.advertInt ?? 1}`,
    ];
    if (o.version) lines.push(`  version ${o.version}`);
    if (o.nopreempt) lines.push('  nopreempt');
    if (o.preemptDelay !== undefined) lines.push(`  preempt_delay ${o.preemptDelay}`);
    if (o.authPass)
      lines.push('  authentication {', '    auth_type PASS', `    auth_pass ${o.authPass}`, '  }');
    if (o.unicastPeers) {
      if (o.unicastSrc) lines.push(`  unicast_src_ip ${o.unicastSrc}`);
      lines.push('  unicast_peer {', ...o.unicastPeers.map((p) => `    ${p}`), '  }');
    }
    lines.push('  virtual_ipaddress {', ...(o.vips ?? ['192.0.2.254/24']).map((v) => `    ${v}`), '  }');
    lines.push(...(o.extra ?? []).map((l) => `  ${l}`), '}');
    return lines.join('\n');
  });
  const globals =
    globalLines.length > 0 ? `global_defs {\n${globalLines.map((l) => `  ${l}`).join('\n')}\n}\n` : '';
  return `${globals}${blocks.join('\n')}\n`;
}

export type DaemonKind = 'vrrpd' | 'keepalived';

export interface RunningDaemon {
  kind: DaemonKind;
  role: string;
  child: ChildProcess;
  pid: number;
  dir: string;
  configPath: string;
  socketPath: string;
  /** Log lines so far (stdout and stderr), oldest first. */
  logs: string[];
  /** vrrpd only: JSON log records parsed from stdout. */
  records(): Array<Record<string, unknown>>;
  exited(): boolean;
}

export interface DaemonSetOptions {
  /**
   * How to run vrrpd (argv before its options). Default: as the systemd unit runs it, with the
   * bundle `npm run build` writes (vrrpd-command.ts); the package test passes ['/usr/bin/vrrpd'] to
   * run the installed Debian package.
   */
  vrrpdCommand?: string[];
  /** Variables added to the service environment (e.g. NOTIFY_SOCKET, as systemd sets it). */
  environment?: Record<string, string>;
}

export class DaemonSet {
  private readonly root = mkdtempSync(join(tmpdir(), 'vrrpd-lab-'));
  private readonly running: RunningDaemon[] = [];

  constructor(
    private readonly lab: Lab,
    private readonly options: DaemonSetOptions = {},
  ) {}

  /** Writes `config` and starts a daemon of `kind` inside `role`'s namespace. */
  start(kind: DaemonKind, role: string, config: string, extraArgs: string[] = []): RunningDaemon {
    const dir = join(this.root, `${role}-${kind}-${this.running.length}`);
    mkdirSync(dir, { recursive: true });
    const configPath = join(dir, 'keepalived.conf');
    writeFileSync(configPath, config);
    const socketPath = join(dir, 'vrrpd.sock');
    const argv =
      kind === 'vrrpd'
        ? [
            ...(this.options.vrrpdCommand ?? vrrpdCommand()),
            '-f',
            configPath,
            '--socket',
            socketPath,
            '--pid',
            join(dir, 'vrrpd.pid'),
            '--state-dir',
            join(dir, 'state'),
            ...extraArgs,
          ]
        : [
            '/usr/sbin/keepalived',
            '--vrrp',
            '--dont-fork',
            '--log-console',
            '--log-detail',
            '--no-syslog',
            '-f',
            configPath,
            '-p',
            join(dir, 'keepalived.pid'),
            '-r',
            join(dir, 'vrrp.pid'),
            '-c',
            join(dir, 'checkers.pid'),
            ...extraArgs,
          ];
    const child = this.lab.spawnIn(role, argv, {
      env: { ...serviceEnvironment(), ...this.options.environment },
    });
    const logs: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(line);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const daemon: RunningDaemon = {
      kind,
      role,
      child,
      pid: child.pid ?? -1,
      dir,
      configPath,
      socketPath,
      logs,
      records: () =>
        logs.flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
      exited: () => child.exitCode !== null || child.signalCode !== null,
    };
    this.running.push(daemon);
    return daemon;
  }

  /** Sends a signal and waits (bounded) for the process to exit; returns its exit code or signal. */
  async stop(
    daemon: RunningDaemon,
    signal: NodeJS.Signals = 'SIGTERM',
    timeoutMs = 5000,
  ): Promise<number | string | null> {
    if (!daemon.exited()) {
      try {
        process.kill(daemon.pid, signal);
      } catch {
        // already gone
      }
    }
    const exited = await waitFor(() => daemon.exited(), timeoutMs, 10);
    if (!exited) {
      try {
        process.kill(daemon.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await waitFor(() => daemon.exited(), 2000, 10);
    }
    return daemon.child.exitCode ?? daemon.child.signalCode;
  }

  /** Rewrites a daemon's config file (for reload tests). */
  rewriteConfig(daemon: RunningDaemon, config: string): void {
    writeFileSync(daemon.configPath, config);
  }

  readConfig(daemon: RunningDaemon): string {
    return readFileSync(daemon.configPath, 'utf8');
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.running.map((d) => this.stop(d, 'SIGTERM', 3000)));
  }

  /** Stops everything still running and removes the temp directory. */
  async cleanup(): Promise<void> {
    await this.stopAll();
    rmSync(this.root, { recursive: true, force: true });
  }
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  stepMs = 25,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/** `vrrpctl status --json` through the control socket (the socket path works across namespaces). */
export async function status(daemon: RunningDaemon): Promise<StatusSnapshot | null> {
  try {
    const reply = await sendControlRequest('status', {}, { socketPath: daemon.socketPath, timeoutMs: 1000 });
    return reply.ok ? (reply.result as StatusSnapshot) : null;
  } catch {
    return null;
  }
}

export async function instanceStatus(daemon: RunningDaemon, name = 'VI_1'): Promise<InstanceStatus | null> {
  return (await status(daemon))?.instances.find((i) => i.name === name) ?? null;
}

/** Waits until the vrrpd instance reports `state`; returns the time it took (ms) or null on timeout. */
export async function waitForState(
  daemon: RunningDaemon,
  state: string,
  timeoutMs: number,
  name = 'VI_1',
): Promise<number | null> {
  const started = Date.now();
  const ok = await waitFor(async () => (await instanceStatus(daemon, name))?.state === state, timeoutMs, 25);
  return ok ? Date.now() - started : null;
}

/** keepalived logs "(VI_1) Entering MASTER STATE"; the last such line gives its state. */
export function keepalivedState(daemon: RunningDaemon, name = 'VI_1'): string | null {
  const pattern = new RegExp(`\\(${name}\\) Entering (MASTER|BACKUP|FAULT) STATE`);
  for (let i = daemon.logs.length - 1; i >= 0; i--) {
    const match = pattern.exec(daemon.logs[i]!);
    if (match) return match[1]!;
  }
  return null;
}

/** Does `role` hold `address` on `ifname` right now? */
export async function holdsAddress(
  lab: Lab,
  role: string,
  ifname: string,
  address: string,
): Promise<boolean> {
  const result = await lab.ip(role, ['-j', 'addr', 'show', 'dev', ifname]);
  const parsed = JSON.parse(result.stdout || '[]') as Array<{ addr_info?: Array<{ local?: string }> }>;
  return parsed.some((link) => (link.addr_info ?? []).some((a) => a.local === address));
}
