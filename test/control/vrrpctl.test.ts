import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { runVrrpctl, VrrpctlExit, type VrrpctlIo } from '../../src/cli/vrrpctl-program.js';
import { formatInstanceDetail, formatStats, formatStatusSummary } from '../../src/control/format.js';
import { startControlServer, type ControlServer } from '../../src/control/server.js';
import { validateStatusSnapshot } from '../../src/control/status-validate.js';
import { FIXED_NOW, masterInstance, sampleStats, sampleStatus } from './fixtures.js';
import { fakeDaemon, makeSocketDir, streams, type FakeDaemon } from './socket-helpers.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function vrrpctl(args: string[], options: Partial<VrrpctlIo> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runVrrpctl(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: {},
    isTTY: false,
    now: () => FIXED_NOW,
    ...options,
  });
  return { code, stdout, stderr };
}

let dir: string;
let cleanup: () => Promise<void>;
let socketPath: string;
let daemon: FakeDaemon;
let server: ControlServer;

beforeEach(async () => {
  ({ dir, cleanup } = await makeSocketDir());
  socketPath = join(dir, 'vrrpd.sock');
  daemon = fakeDaemon();
  server = await startControlServer(daemon, { streams, socketPath });
});

afterEach(async () => {
  await server.close();
  await cleanup();
});

describe('vrrpctl when the daemon cannot be reached', () => {
  it('exits non-zero with one line naming the socket when nothing listens', async () => {
    const missing = join(dir, 'absent.sock');
    const run = await vrrpctl(['--socket', missing, 'status']);
    expect(run).toEqual({
      code: VrrpctlExit.unreachable,
      stdout: '',
      stderr: `vrrpctl: cannot reach vrrpd at ${missing}: no such file (is vrrpd running?)\n`,
    });
  });

  it('reports a timeout when the daemon never answers', async () => {
    daemon.reloadGate = new Promise<void>(() => {});
    const run = await vrrpctl(['--socket', socketPath, '--timeout', '0.2', 'reload']);
    expect(run.code).toBe(VrrpctlExit.unreachable);
    expect(run.stderr).toBe(`vrrpctl: vrrpd at ${socketPath} did not answer within 0.2 s\n`);
  });

  it('finds the socket through VRRPD_SOCKET, and --socket wins over it', async () => {
    const viaEnv = await vrrpctl(['status', '--json'], { env: { VRRPD_SOCKET: socketPath } });
    expect(viaEnv.code).toBe(0);
    const overridden = await vrrpctl(['--socket', join(dir, 'other.sock'), 'status'], {
      env: { VRRPD_SOCKET: socketPath },
    });
    expect(overridden.code).toBe(VrrpctlExit.unreachable);
    expect(overridden.stderr).toContain(join(dir, 'other.sock'));
  });
});

describe('vrrpctl status', () => {
  it('prints the summary table, uncoloured off a TTY', async () => {
    const run = await vrrpctl(['--socket', socketPath, 'status']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(formatStatusSummary(sampleStatus(), { now: FIXED_NOW, color: false }));
    expect(run.stdout).toContain('VI_LAN          eth0            51  MASTER  150/150');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('colours on a TTY unless NO_COLOR is set, and follows the terminal width', async () => {
    const tty = await vrrpctl(['--socket', socketPath, 'status'], { isTTY: true });
    expect(tty.stdout).toContain('\u001b[32mMASTER\u001b[0m');
    const noColor = await vrrpctl(['--socket', socketPath, 'status'], {
      isTTY: true,
      env: { NO_COLOR: '1' },
    });
    expect(noColor.stdout).not.toContain('\u001b[');
    const wide = await vrrpctl(['--socket', socketPath, 'status'], { columns: 120 });
    expect(wide.stdout).toContain('VI_WAN_with_a_rather_long_name');
  });

  it('prints JSON matching the documented schema with --json', async () => {
    const run = await vrrpctl(['--socket', socketPath, 'status', '--json']);
    expect(run.code).toBe(0);
    const parsed: unknown = JSON.parse(run.stdout);
    expect(validateStatusSnapshot(parsed)).toEqual([]);
    expect(parsed).toEqual(sampleStatus());
  });

  it('prints one instance in detail, or as JSON', async () => {
    const detail = await vrrpctl(['--socket', socketPath, 'status', 'VI_LAN']);
    expect(detail.stdout).toBe(formatInstanceDetail(masterInstance(), { now: FIXED_NOW, color: false }));
    const json = await vrrpctl(['--socket', socketPath, 'status', 'VI_LAN', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ ...sampleStatus(), instances: [masterInstance()] });
  });

  it('exits 1 with the daemon reason for an unknown instance', async () => {
    const run = await vrrpctl(['--socket', socketPath, 'status', 'VI_NOPE']);
    expect(run.code).toBe(VrrpctlExit.failed);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'vrrpctl: no instance named "VI_NOPE" (instances: VI_LAN, VI_WAN_with_a_rather_long_name, VI_DMZ) ' +
        '(VRRPD_E_CTL_UNKNOWN_INSTANCE)\n',
    );
  });
});

describe('vrrpctl stats, reload, garp', () => {
  it('prints stats, clears them on request, and prints JSON', async () => {
    const shown = await vrrpctl(['--socket', socketPath, 'stats']);
    expect(shown.stdout).toBe(formatStats(sampleStats(), { now: FIXED_NOW, color: false }));
    const cleared = await vrrpctl(['--socket', socketPath, 'stats', '--clear']);
    expect(cleared.stdout.endsWith('Counters cleared.\n')).toBe(true);
    const json = await vrrpctl(['--socket', socketPath, 'stats', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(sampleStats());
    expect(daemon.calls).toEqual(['stats clear=false', 'stats clear=true', 'stats clear=false']);
  });

  it('reload: exit 0 when accepted, 1 with the reasons when rejected', async () => {
    const accepted = await vrrpctl(['--socket', socketPath, 'reload']);
    expect(accepted).toEqual({ code: 0, stdout: 'vrrpd: new configuration accepted\n', stderr: '' });
    daemon.reloadResult = {
      accepted: false,
      errors: [
        'vrrpd.conf:12: unknown keyword "priorty"',
        'vrrpd.conf:30: virtual_router_id 300 is not 1..255',
      ],
    };
    const rejected = await vrrpctl(['--socket', socketPath, 'reload']);
    expect(rejected).toEqual({
      code: VrrpctlExit.failed,
      stdout: '',
      stderr: [
        'vrrpctl: reload rejected, vrrpd keeps its running configuration (2 error(s))',
        '  vrrpd.conf:12: unknown keyword "priorty"',
        '  vrrpd.conf:30: virtual_router_id 300 is not 1..255',
        '',
      ].join('\n'),
    });
  });

  it('garp: exit 0 when sent, 1 when the daemon refuses', async () => {
    expect(await vrrpctl(['--socket', socketPath, 'garp', 'VI_LAN'])).toEqual({
      code: 0,
      stdout: 'vrrpd: gratuitous ARP sent for VI_LAN\n',
      stderr: '',
    });
    daemon.garpResult = { ok: false, error: 'VI_DMZ is FAULT, not MASTER' };
    const refused = await vrrpctl(['--socket', socketPath, 'garp', 'VI_DMZ']);
    expect(refused.code).toBe(VrrpctlExit.failed);
    expect(refused.stderr).toBe('vrrpctl: VI_DMZ is FAULT, not MASTER (VRRPD_E_CTL_GARP_FAILED)\n');
  });

  it('uplink pin: pins a gateway or lets go with auto; the daemon refusing is exit 1', async () => {
    expect(await vrrpctl(['--socket', socketPath, 'uplink', 'pin', 'operator3'])).toEqual({
      code: 0,
      stdout: 'vrrpd: uplink group OPERATORS pinned to operator3 (/var/lib/netgwm/mode)\n',
      stderr: '',
    });
    daemon.pinResult = { ok: true, group: 'OPERATORS', pinned: null, modeFile: '/var/lib/netgwm/mode' };
    const auto = await vrrpctl(['--socket', socketPath, 'uplink', 'pin', 'auto', '--group', 'OPERATORS']);
    expect(auto.stdout).toBe(
      'vrrpd: uplink group OPERATORS selects its gateway automatically again (/var/lib/netgwm/mode: auto)\n',
    );
    daemon.pinResult = {
      ok: false,
      error: 'netgwm.yml sets mode: operator1, which takes precedence over a runtime pin',
    };
    const refused = await vrrpctl(['--socket', socketPath, 'uplink', 'pin', 'operator2']);
    expect(refused.code).toBe(VrrpctlExit.failed);
    expect(refused.stderr).toBe(
      'vrrpctl: netgwm.yml sets mode: operator1, which takes precedence over a runtime pin (VRRPD_E_CTL_UPLINK_REFUSED)\n',
    );
    expect(daemon.calls).toEqual([
      'uplinkPin - operator3',
      'uplinkPin OPERATORS auto',
      'uplinkPin - operator2',
    ]);
  });

  it('exits 2 on usage errors', async () => {
    expect((await vrrpctl(['--socket', socketPath, 'reboot'])).code).toBe(VrrpctlExit.usage);
    const noInstance = await vrrpctl(['--socket', socketPath, 'garp']);
    expect(noInstance.code).toBe(VrrpctlExit.usage);
    expect(noInstance.stderr).toContain("missing required argument 'instance'");
    const bare = await vrrpctl([]);
    expect(bare.code).toBe(VrrpctlExit.usage);
    expect(bare.stdout).toContain('Usage: vrrpctl');
    expect((await vrrpctl(['--help'])).code).toBe(0);
    expect(daemon.calls).toEqual([]);
  });
});

describe('vrrpctl handover, resume, demote', () => {
  const env = { SUDO_USER: 'alice' };
  it('handover sends the instance, who and why; --for and --to and --wait travel as fields', async () => {
    const run = await vrrpctl(
      [
        '--socket',
        socketPath,
        'handover',
        'VI_LAN',
        '--for',
        '15m',
        '--to',
        '192.0.2.2',
        '--wait',
        '--reason',
        'upgrade',
      ],
      { env },
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('vrrpd: VI_LAN handed over; held in BACKUP until resumed\n');
    expect(daemon.calls).toEqual([
      `handover ${JSON.stringify({ instances: ['VI_LAN'], all: false, by: 'alice', reason: 'upgrade', wait: true, to: '192.0.2.2', forMs: 900_000 })}`,
    ]);
  });

  it('resume --all and demote --by / --priority', async () => {
    expect((await vrrpctl(['--socket', socketPath, 'resume', '--all'], { env })).code).toBe(0);
    expect((await vrrpctl(['--socket', socketPath, 'demote', 'VI_LAN', '--by', '60'], { env })).code).toBe(0);
    const refused = await vrrpctl(['--socket', socketPath, 'demote', 'VI_LAN', '--priority', '200'], { env });
    expect(refused.code).toBe(VrrpctlExit.failed);
    expect(refused.stderr).toBe('vrrpctl: refused (VRRPD_E_CTL_ADMIN)\n');
    expect(daemon.calls).toEqual([
      `resume ${JSON.stringify({ instances: [], all: true, by: 'alice', reason: '' })}`,
      `demote ${JSON.stringify({ instances: ['VI_LAN'], all: false, by: 'alice', reason: '', delta: 60 })}`,
      `demote ${JSON.stringify({ instances: ['VI_LAN'], all: false, by: 'alice', reason: '', priority: 200 })}`,
    ]);
  });

  it('usage errors: no target, both targets, a bad duration, demote without a priority', async () => {
    for (const args of [
      ['handover'],
      ['handover', 'VI_LAN', '--all'],
      ['handover', 'VI_LAN', '--for', 'soon'],
      ['demote', 'VI_LAN'],
      ['demote', 'VI_LAN', '--priority', '300'],
    ]) {
      expect((await vrrpctl(['--socket', socketPath, ...args], { env })).code, args.join(' ')).toBe(
        VrrpctlExit.usage,
      );
    }
    expect(daemon.calls).toEqual([]);
  });
});

// The compiled executable, as installed (`npm test` builds before running vitest).
const builtCli = resolve(import.meta.dirname, '../../dist/src/cli/vrrpctl.js');
const execFileAsync = promisify(execFile);
const haveBuild = existsSync(builtCli);
if (!haveBuild && process.env.CI === 'true')
  throw new Error(`${builtCli} is missing: run npm run build first`);
if (!haveBuild) console.warn(`skipping built vrrpctl tests: ${builtCli} not built (npm run build)`);

interface ProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function runBuilt(args: string[], prefix: string[] = []): Promise<ProcessRun> {
  const command = prefix.length > 0 ? prefix[0]! : process.execPath;
  const commandArgs =
    prefix.length > 0 ? [...prefix.slice(1), process.execPath, builtCli, ...args] : [builtCli, ...args];
  try {
    const { stdout, stderr } = await execFileAsync(command, commandArgs, {
      encoding: 'utf8',
      timeout: 15_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe.skipIf(!haveBuild)('installed vrrpctl executable', () => {
  let builtDir: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    builtDir = await makeSocketDir();
  });
  afterAll(async () => {
    await builtDir?.cleanup();
  });

  it('exits non-zero with a one-line reason when vrrpd is not running', async () => {
    const missing = join(builtDir.dir, 'vrrpd.sock');
    const run = await runBuilt(['--socket', missing, 'status']);
    expect(run).toEqual({
      code: VrrpctlExit.unreachable,
      stdout: '',
      stderr: `vrrpctl: cannot reach vrrpd at ${missing}: no such file (is vrrpd running?)\n`,
    });
  });

  it('prints status --json from a live socket', async () => {
    const run = await runBuilt(['--socket', socketPath, 'status', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(sampleStatus());
  });

  it.skipIf(process.getuid?.() !== 0)('tells a non-root user the socket is not accessible', async () => {
    const run = await runBuilt(
      ['--socket', socketPath, 'status'],
      ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
    );
    expect(run).toEqual({
      code: VrrpctlExit.unreachable,
      stdout: '',
      stderr: `vrrpctl: cannot reach vrrpd at ${socketPath}: permission denied (run as root or as a member of the socket's group)\n`,
    });
  });
});
