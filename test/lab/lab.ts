// A throw-away network lab: namespaces, veth links, bridges, commands and child processes inside
// them, and a teardown that always removes everything it created. Topologies (router segment,
// operator uplinks) are built from these primitives in topology.ts and by individual suites.
//
// Naming: every namespace is `<lab id>-<role>`, the lab id being `v<pid % 10000><2 random chars>`,
// so concurrent runs never collide. Interfaces live inside namespaces and are created there
// directly (`ip -n NS link add ... peer ... netns OTHER`), so the host namespace is never touched
// and short names like `eth0` can be reused in every namespace.

import { execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startPingProber, pingOnce, type ProbeOptions, type Prober } from './probe.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface ExecOptions {
  /** Kill the command after this long (default 10 s). */
  timeoutMs?: number;
  /** Throw LabCommandError on a non-zero exit (default true). */
  check?: boolean;
}

export class LabCommandError extends Error {
  constructor(
    readonly argv: string[],
    readonly result: ExecResult,
  ) {
    super(`lab command failed (exit ${result.code}): ${argv.join(' ')}\n${result.stderr.trim()}`);
    this.name = 'LabCommandError';
  }
}

const ROLE_PATTERN = /^[a-z][a-z0-9]{0,5}$/;
const INTERFACE_NAME_MAX = 15;
const DEFAULT_TIMEOUT_MS = 10_000;
const KILL_GRACE_MS = 2_000;

/** Labs not yet torn down, cleaned synchronously if the process exits without teardown(). */
const liveLabs = new Set<Lab>();
let exitHookInstalled = false;

const CLEANUP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function teardownLiveLabsSync(): void {
  for (const lab of liveLabs) lab.teardownSync();
}

/**
 * Cleans up labs whose owner never called teardown(): at exit, and on SIGINT/SIGTERM/SIGHUP
 * (Ctrl-C in the demo, a runner killing a worker), after which the signal is re-raised so the
 * process still dies of it.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', teardownLiveLabsSync);
  for (const signal of CLEANUP_SIGNALS) {
    process.once(signal, () => {
      teardownLiveLabsSync();
      // If nobody else handles the signal, restore its default action by raising it again.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

export function run(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('empty argv');
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        const result = { stdout: String(stdout), stderr: String(stderr), code };
        if (code !== 0 && options.check !== false) reject(new LabCommandError(argv, result));
        else resolve(result);
      },
    );
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

function signalPid(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone (ESRCH): nothing to do.
  }
}

interface SwitchPort {
  switchRole: string;
  port: string;
}

export class Lab {
  readonly id: string;
  private readonly namespaces = new Map<string, string>();
  private readonly children = new Set<ChildProcess>();
  /** node role -> its ports on switches, for cut()/heal(). */
  private readonly switchPorts = new Map<string, SwitchPort[]>();
  /** /etc/netns/<ns> directories written by useResolver(), removed at teardown. */
  private readonly netnsEtc = new Set<string>();
  private tornDown = false;

  constructor(id?: string) {
    this.id = id ?? `v${process.pid % 10000}${randomBytes(2).toString('hex').slice(0, 2)}`;
    installExitHook();
    liveLabs.add(this);
  }

  /** The namespace name of a role (`r1` → `v4821a3-r1`). Throws for a role not in this lab. */
  ns(role: string): string {
    const name = this.namespaces.get(role);
    if (!name) throw new Error(`lab ${this.id} has no namespace for role ${role}`);
    return name;
  }

  roles(): string[] {
    return [...this.namespaces.keys()];
  }

  /** Creates a namespace for `role` with its loopback up. Roles: 1-6 lowercase letters/digits. */
  async addNamespace(role: string): Promise<string> {
    if (this.tornDown) throw new Error(`lab ${this.id} is torn down`);
    if (!ROLE_PATTERN.test(role)) throw new Error(`bad lab role ${role}: use 1-6 lowercase letters/digits`);
    if (this.namespaces.has(role)) throw new Error(`lab ${this.id} already has role ${role}`);
    const name = `${this.id}-${role}`;
    await run(['ip', 'netns', 'add', name]);
    this.namespaces.set(role, name);
    await this.ip(role, ['link', 'set', 'lo', 'up']);
    return name;
  }

  /** A namespace holding one bridge `br0` (no STP, so ports forward at once). */
  async addSwitch(role: string): Promise<void> {
    await this.addNamespace(role);
    await this.ip(role, ['link', 'add', 'br0', 'type', 'bridge', 'stp_state', '0']);
    await this.ip(role, ['link', 'set', 'br0', 'up']);
  }

  /**
   * Links `node:ifname` to the bridge of `switchRole` (switch-side port `<node>-<ifname>`, or just
   * `<node>` for eth0) and brings both ends up; adds `cidr` (e.g. 192.0.2.1/24) when given.
   */
  async attach(
    node: string,
    ifname: string,
    switchRole: string,
    cidr?: string,
    options: { mac?: string } = {},
  ): Promise<void> {
    const port = ifname === 'eth0' ? node : `${node}-${ifname}`;
    if (port.length > INTERFACE_NAME_MAX || ifname.length > INTERFACE_NAME_MAX) {
      throw new Error(`interface name too long: ${port} / ${ifname}`);
    }
    await this.ip(node, [
      'link',
      'add',
      ifname,
      ...(options.mac ? ['address', options.mac] : []),
      'type',
      'veth',
      'peer',
      'name',
      port,
      'netns',
      this.ns(switchRole),
    ]);
    await this.ip(switchRole, ['link', 'set', port, 'master', 'br0', 'up']);
    if (cidr) await this.addAddress(node, ifname, cidr);
    await this.ip(node, ['link', 'set', ifname, 'up']);
    const ports = this.switchPorts.get(node) ?? [];
    ports.push({ switchRole, port });
    this.switchPorts.set(node, ports);
  }

  /** A point-to-point veth between two namespaces, both ends up. */
  async addVethPair(nodeA: string, ifA: string, nodeB: string, ifB: string): Promise<void> {
    if (ifA.length > INTERFACE_NAME_MAX || ifB.length > INTERFACE_NAME_MAX) {
      throw new Error(`interface name too long: ${ifA} / ${ifB}`);
    }
    await this.ip(nodeA, ['link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', this.ns(nodeB)]);
    await this.ip(nodeA, ['link', 'set', ifA, 'up']);
    await this.ip(nodeB, ['link', 'set', ifB, 'up']);
  }

  async addAddress(role: string, ifname: string, cidr: string): Promise<void> {
    await this.ip(role, ['addr', 'add', cidr, 'dev', ifname]);
  }

  /** `ip -n <ns> ...args` */
  ip(role: string, args: string[], options?: ExecOptions): Promise<ExecResult> {
    return run(['ip', '-n', this.ns(role), ...args], options);
  }

  /** Runs argv inside the role's namespace (`ip netns exec`) and waits for it. */
  exec(role: string, argv: string[], options?: ExecOptions): Promise<ExecResult> {
    return run(['ip', 'netns', 'exec', this.ns(role), ...argv], options);
  }

  /**
   * Starts argv inside the role's namespace. `ip netns exec` execs the program in place, so the
   * child's PID is the program's PID; teardown() kills it by that PID if still running.
   */
  spawnIn(role: string, argv: string[], options: SpawnOptions = {}): ChildProcess {
    if (this.tornDown) throw new Error(`lab ${this.id} is torn down`);
    const child = spawn('ip', ['netns', 'exec', this.ns(role), ...argv], { stdio: 'pipe', ...options });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    // An 'error' (e.g. spawn failure) without a listener would crash the test process.
    child.on('error', () => this.children.delete(child));
    return child;
  }

  /** Stops one child this lab started: signal, then SIGKILL after a grace period. */
  async kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.children.has(child) && child.exitCode === null && child.signalCode === null) {
      throw new Error('lab.kill: not a child of this lab');
    }
    signalPid(child.pid, signal);
    if (!(await waitForExit(child, KILL_GRACE_MS))) {
      signalPid(child.pid, 'SIGKILL');
      await waitForExit(child, KILL_GRACE_MS);
    }
  }

  linkDown(role: string, ifname: string): Promise<ExecResult> {
    return this.ip(role, ['link', 'set', ifname, 'down']);
  }

  linkUp(role: string, ifname: string): Promise<ExecResult> {
    return this.ip(role, ['link', 'set', ifname, 'up']);
  }

  /**
   * Partitions a node from its switches without touching its carrier: the bridge ports are set
   * to "disabled", so the node's interface stays UP/LOWER_UP but no frame crosses. (linkDown is
   * the other failure: carrier loss, which VRRP daemons see as an interface fault.)
   */
  async cut(node: string): Promise<void> {
    for (const { switchRole, port } of this.portsOf(node)) {
      await run(['bridge', '-n', this.ns(switchRole), 'link', 'set', 'dev', port, 'state', '0']);
    }
  }

  /** Undoes cut(): ports back to forwarding (state 3). */
  async heal(node: string): Promise<void> {
    for (const { switchRole, port } of this.portsOf(node)) {
      await run(['bridge', '-n', this.ns(switchRole), 'link', 'set', 'dev', port, 'state', '3']);
    }
  }

  private portsOf(node: string): SwitchPort[] {
    const ports = this.switchPorts.get(node);
    if (!ports || ports.length === 0) throw new Error(`lab ${this.id}: ${node} is not attached to a switch`);
    return ports;
  }

  /**
   * Makes the system resolver of programs started in `role` (through `ip netns exec`, which
   * bind-mounts /etc/netns/<ns>/resolv.conf over /etc/resolv.conf) ask `nameserver` only, once,
   * with a 1 s timeout. Test names then never reach the host's resolver.
   */
  useResolver(role: string, nameserver: string): void {
    const dir = `/etc/netns/${this.ns(role)}`;
    mkdirSync(dir, { recursive: true });
    this.netnsEtc.add(dir);
    writeFileSync(`${dir}/resolv.conf`, `nameserver ${nameserver}\noptions timeout:1 attempts:1\n`);
  }

  /** The MAC the role's neighbour table holds for `ip`, or null (no entry, or INCOMPLETE/FAILED). */
  async neighbourMac(role: string, ip: string): Promise<string | null> {
    const { stdout } = await this.ip(role, ['-j', 'neigh', 'show', 'to', ip]);
    const entries = JSON.parse(stdout || '[]') as Array<{ dst: string; lladdr?: string }>;
    const entry = entries.find((e) => e.dst === ip && e.lladdr);
    return entry?.lladdr ?? null;
  }

  async macOf(role: string, ifname: string): Promise<string> {
    const { stdout } = await this.ip(role, ['-j', 'link', 'show', 'dev', ifname]);
    const [link] = JSON.parse(stdout) as Array<{ address: string }>;
    if (!link) throw new Error(`no link ${ifname} in ${role}`);
    return link.address;
  }

  /** ifindex of an interface inside the role's namespace. */
  async ifindexOf(role: string, ifname: string): Promise<number> {
    const { stdout } = await this.ip(role, ['-j', 'link', 'show', 'dev', ifname]);
    const [link] = JSON.parse(stdout) as Array<{ ifindex: number }>;
    if (!link) throw new Error(`no link ${ifname} in ${role}`);
    return link.ifindex;
  }

  /** One echo request; true when answered within timeoutMs. */
  pingOnce(role: string, ip: string, timeoutMs = 1000): Promise<boolean> {
    return pingOnce((argv, options) => this.exec(role, argv, options), ip, timeoutMs);
  }

  /** Pings `target` from `role` every intervalMs for durationMs; see probe.ts for the report. */
  startProber(role: string, target: string, options: ProbeOptions): Prober {
    return startPingProber(
      (argv) => this.spawnIn(role, argv),
      (child, signal) => this.kill(child, signal),
      target,
      options,
    );
  }

  /** Kills every child still running (by PID), then deletes every namespace. Idempotent. */
  async teardown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    await Promise.all([...this.children].map((child) => this.kill(child)));
    const failures: string[] = [];
    for (const name of [...this.namespaces.values()].reverse()) {
      const result = await run(['ip', 'netns', 'del', name], { check: false });
      if (result.code !== 0) failures.push(`${name}: ${result.stderr.trim()}`);
    }
    this.namespaces.clear();
    this.removeNetnsEtc();
    liveLabs.delete(this);
    if (failures.length > 0)
      throw new Error(`lab ${this.id} teardown left namespaces: ${failures.join('; ')}`);
  }

  /** Last-resort cleanup from a process 'exit' hook: synchronous, best effort. */
  teardownSync(): void {
    if (this.tornDown) return;
    this.tornDown = true;
    for (const child of this.children) signalPid(child.pid, 'SIGKILL');
    for (const name of this.namespaces.values()) {
      try {
        execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: 5000 });
      } catch {
        // Best effort while exiting.
      }
    }
    this.namespaces.clear();
    this.removeNetnsEtc();
    liveLabs.delete(this);
  }

  private removeNetnsEtc(): void {
    for (const dir of this.netnsEtc) rmSync(dir, { recursive: true, force: true });
    this.netnsEtc.clear();
  }
}

/** Namespace names currently present (for leak checks). */
export async function listNamespaces(): Promise<string[]> {
  const { stdout } = await run(['ip', '-j', 'netns', 'list']);
  const entries = JSON.parse(stdout || '[]') as Array<{ name: string }>;
  return entries.map((e) => e.name);
}
