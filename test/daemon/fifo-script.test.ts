// notify_fifo_script / vrrp_notify_fifo_script as keepalived 2.2.7 runs them (lib/notify.c
// fifo_open, vrrp_daemon.c): started when the FIFO is opened, with the FIFO path appended to its
// arguments; terminated (its process group, SIGTERM then SIGKILL) at stop and at reload, where the
// new configuration starts it again; not run without its FIFO. A real shell script reads the FIFO.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config.js';
import { DaemonScripts, NotifyRunner, scriptUses } from '../../src/daemon/scripts.js';
import { RecordingLogger, TempDir, waitFor } from '../scripts/helpers.js';

let dir: TempDir;
beforeEach(() => {
  dir = new TempDir('vrrpd-fifo-script-');
});
afterEach(() => {
  dir.remove();
});

const INSTANCE = `vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority 100
  virtual_ipaddress {
    192.0.2.254/24
  }
}
`;

/** A reader that records its pid, then prefixes every FIFO line with its first argument. */
function reader(): string {
  return dir.script(
    'reader.sh',
    `#!/bin/sh\necho $$ >> ${dir.file('pids')}\nwhile read -r line; do echo "$1 $line" >> ${dir.file('out')}; done < "$2"\n`,
  );
}

function scriptsFor(globals: string): { scripts: DaemonScripts; logger: RecordingLogger } {
  const result = parseConfigText(`global_defs {\n${globals}\n}\n${INSTANCE}`);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const logger = new RecordingLogger();
  const scripts = new DaemonScripts(result.config, logger, new NotifyRunner(logger), () => {});
  return { scripts, logger };
}

const read = (name: string): string[] =>
  existsSync(dir.file(name)) ? readFileSync(dir.file(name), 'utf8').trim().split('\n') : [];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const event = (state: 'MASTER' | 'BACKUP') =>
  ({ subject: 'INSTANCE', name: 'VI_1', state, priority: 100 }) as const;

describe('notify_fifo_script', () => {
  it('reads the FIFO it is given; stop terminates it; a reload starts it again', async () => {
    const fifo = dir.file('events.fifo');
    const globals = `  notify_fifo ${fifo}\n  notify_fifo_script "${reader()} first"`;
    const { scripts } = scriptsFor(globals);
    // keepalived's mode (0644 under its umask 0177), owned by the script user (root here).
    expect(statSync(fifo).mode & 0o777).toBe(0o600);
    scripts.notify(event('MASTER'), {});
    expect(await waitFor(() => read('out').length === 1, 3000)).toBe(true);
    expect(read('out')).toEqual(['first INSTANCE "VI_1" MASTER 100']);
    const [pid] = read('pids').map(Number);
    expect(alive(pid!)).toBe(true);

    await scripts.stop();
    expect(await waitFor(() => !alive(pid!), 3000)).toBe(true);
    expect(existsSync(fifo)).toBe(false);

    // The reload's configuration opens the FIFO again and starts a new reader.
    const again = scriptsFor(globals).scripts;
    again.fifoEvent(event('BACKUP'));
    expect(await waitFor(() => read('out').length === 2, 3000)).toBe(true);
    expect(read('out')[1]).toBe('first INSTANCE "VI_1" BACKUP 100');
    const pids = read('pids').map(Number);
    expect(pids).toHaveLength(2);
    expect(pids[1]).not.toBe(pid);
    await again.stop();
    expect(await waitFor(() => !alive(pids[1]!), 3000)).toBe(true);
  });

  it('vrrp_notify_fifo_script reads vrrp_notify_fifo; the first of two lines wins, as in keepalived', async () => {
    const fifo = dir.file('vrrp.fifo');
    const result = parseConfigText(
      `global_defs {\n  vrrp_notify_fifo ${fifo}\n  vrrp_notify_fifo_script ${reader()}\n  vrrp_notify_fifo_script /bin/false\n}\n${INSTANCE}`,
    );
    expect(result.config.globals.vrrpNotifyFifoScript?.command).toBe(dir.file('reader.sh'));
    expect(scriptUses(result.config).map((u) => u.role)).toEqual(['vrrp_notify_fifo_script']);
    const { scripts } = scriptsFor(`  vrrp_notify_fifo ${fifo}\n  vrrp_notify_fifo_script "${reader()} v"`);
    scripts.notify(event('MASTER'), {});
    expect(await waitFor(() => read('out').length === 1, 3000)).toBe(true);
    expect(read('out')).toEqual(['v INSTANCE "VI_1" MASTER 100']);
    await scripts.stop();
  });

  it('a FIFO it creates belongs to notify_fifo’s USER [GROUP], as keepalived chowns it', async () => {
    const fifo = dir.file('owned.fifo');
    const { scripts } = scriptsFor(`  notify_fifo ${fifo} nobody`);
    expect(statSync(fifo)).toMatchObject({ uid: process.getuid?.() === 0 ? 65534 : process.getuid?.() });
    await scripts.stop();
  });

  it('without its FIFO the script is not run (keepalived starts it only with the FIFO)', async () => {
    const { scripts } = scriptsFor(`  notify_fifo_script ${reader()}`);
    expect(
      scriptUses(parseConfigText(`global_defs {\n  notify_fifo_script ${reader()}\n}\n`).config),
    ).toEqual([]);
    scripts.fifoEvent(event('MASTER'));
    // Nothing to wait for: the reader would have written its pid on start.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(read('pids')).toEqual([]);
    await scripts.stop();
  });
});
