// The process tracker's shell with fakes and a manual clock: source selection and fallback,
// thread events ignored, lost events followed by a rescan a second later, the poll turning
// differences into events, and /proc parsing.

import { describe, expect, it } from 'vitest';
import type { ProcEvent, ProcEventSource } from '../../src/kernel/proc-events.js';
import { ProcConnectorUnavailable } from '../../src/kernel/proc-events.js';
import {
  parseProcStat,
  scanProcesses,
  type ProcFiles,
  type ScannedProcess,
} from '../../src/kernel/proc-scan.js';
import { ManualTimers } from '../../src/runtime/manual-timers.js';
import { processTrackEffect } from '../../src/scripts/track-effect.js';
import type { ProcessTrackConfig } from '../../src/scripts/process-track.js';
import { ProcessTracker } from '../../src/scripts/process-tracker.js';
import { RecordingLogger } from './helpers.js';

const NGINX: ProcessTrackConfig = {
  name: 'web',
  process: 'nginx',
  params: [],
  paramMatch: 'none',
  fullCommand: false,
  quorum: 1,
  quorumMax: Infinity,
  forkDelayMs: 0,
  terminateDelayMs: 0,
};

class FakeSource implements ProcEventSource {
  private event: (event: ProcEvent) => void = () => undefined;
  private lost: () => void = () => undefined;
  closed = false;
  onEvent(callback: (event: ProcEvent) => void) {
    this.event = callback;
  }
  onLost(callback: () => void) {
    this.lost = callback;
  }
  onError() {}
  close() {
    this.closed = true;
  }
  emit(event: ProcEvent) {
    this.event(event);
  }
  overrun() {
    this.lost();
  }
}

/** A process table the test edits. */
class Table {
  readonly processes = new Map<number, ScannedProcess>();
  add(pid: number, comm: string, ppid = 1) {
    this.processes.set(pid, { identity: { comm, cmdline: null }, ppid });
  }
  scan = () => new Map(this.processes);
  read = (pid: number) => this.processes.get(pid) ?? null;
}

async function started(options: {
  table: Table;
  source?: FakeSource | 'refused';
  config?: ProcessTrackConfig;
}) {
  const timers = new ManualTimers();
  const logger = new RecordingLogger();
  const changes: string[] = [];
  const tracker = await ProcessTracker.start({
    configs: [options.config ?? NGINX],
    logger,
    timers,
    pollIntervalMs: 1000,
    openConnector: async () => {
      if (!options.source || options.source === 'refused') {
        throw new ProcConnectorUnavailable('ECONNREFUSED', 'not the initial network namespace');
      }
      return options.source;
    },
    scan: options.table.scan,
    read: options.table.read,
    onStatusChange: (name, up, count) => changes.push(`${name}:${up}:${count}`),
  });
  return { tracker, timers, logger, changes };
}

describe('process tracker shell', () => {
  it('uses the connector when it opens: events in, status changes out; threads ignored', async () => {
    const table = new Table();
    const source = new FakeSource();
    const { tracker, changes } = await started({ table, source });
    expect(tracker.source).toBe('connector');
    expect(tracker.states()).toEqual([{ name: 'web', count: 0, up: false, pendingTimer: null }]);

    table.add(50, 'nginx');
    source.emit({ kind: 'exec', pid: 51, tgid: 50 }); // a thread: ignored
    expect(changes).toEqual([]);
    source.emit({ kind: 'exec', pid: 50, tgid: 50 });
    expect(changes).toEqual(['web:true:1']);
    source.emit({ kind: 'exit', pid: 52, tgid: 50 }); // a thread exiting
    source.emit({ kind: 'exit', pid: 50, tgid: 50 });
    expect(changes).toEqual(['web:true:1', 'web:false:0']);
    tracker.close();
    expect(source.closed).toBe(true);
  });

  it('rebuilds the counts from /proc a second after lost events', async () => {
    const table = new Table();
    const source = new FakeSource();
    const { timers, logger, changes } = await started({ table, source });
    table.add(60, 'nginx'); // started while events were being dropped
    source.overrun();
    expect(logger.messages('warn')).toEqual([
      'vrrp_track_process: the kernel dropped process events; re-reading /proc',
    ]);
    timers.advance(999);
    expect(changes).toEqual([]);
    timers.advance(1);
    expect(changes).toEqual(['web:true:1']);
  });

  it('falls back to polling /proc when the connector is refused, and says so', async () => {
    const table = new Table();
    table.add(10, 'nginx');
    const { tracker, timers, logger, changes } = await started({ table, source: 'refused' });
    expect(tracker.source).toBe('poll');
    expect(logger.messages('warn')[0]).toMatch(
      /process events unavailable .*ECONNREFUSED.*polling \/proc every 1000 ms/,
    );
    expect(tracker.states()[0]).toMatchObject({ count: 1, up: true });

    table.processes.delete(10);
    timers.advance(1000);
    expect(changes).toEqual(['web:false:0']);
    table.add(11, 'nginx');
    timers.advance(1000);
    expect(changes).toEqual(['web:false:0', 'web:true:1']);
    // An exec in place (same pid, new name) is seen as such.
    table.add(11, 'bash');
    timers.advance(1000);
    expect(changes.at(-1)).toBe('web:false:0');
  });

  it('polling treats a new child of a counted process as a fork (fork_delay applies)', async () => {
    const table = new Table();
    table.add(10, 'nginx');
    const config = { ...NGINX, quorum: 2, forkDelayMs: 500 };
    const { tracker, timers, changes } = await started({ table, source: 'refused', config });
    table.add(11, 'nginx', 10);
    timers.advance(1000);
    expect(tracker.states()[0]).toMatchObject({ count: 2, up: false, pendingTimer: 'fork' });
    timers.advance(500);
    expect(changes).toEqual(['web:true:2']);
  });

  it('gives process trackers the weights of a track_script', () => {
    expect(processTrackEffect(false, 0, false)).toMatchObject({ fault: true });
    expect(processTrackEffect(true, 0, true)).toMatchObject({ fault: true });
    expect(processTrackEffect(true, 10, false)).toMatchObject({ contribution: 10, fault: false });
    expect(processTrackEffect(false, -20, false)).toMatchObject({ contribution: -20 });
    expect(processTrackEffect(true, -20, false)).toMatchObject({ contribution: 0 });
  });
});

describe('/proc parsing', () => {
  it('reads name, state and parent from stat, even with spaces and parentheses in the name', () => {
    expect(parseProcStat('42 (nginx) S 1 42 42 0 -1')).toEqual({ comm: 'nginx', state: 'S', ppid: 1 });
    expect(parseProcStat('43 (a) b (c)) R 42 43')).toEqual({ comm: 'a) b (c)', state: 'R', ppid: 42 });
    expect(parseProcStat('garbage')).toBeNull();
  });

  it('lists processes, skipping zombies, vanished pids and non-pid entries', () => {
    const tree: Record<string, string> = {
      '/proc/1/stat': '1 (init) S 0 1 1',
      '/proc/7/stat': '7 (nginx) Z 1 7 7',
      '/proc/8/stat': '8 (nginx) S 1 8 8',
      '/proc/8/cmdline': 'nginx\0-g\0daemon off;\0',
    };
    const files: ProcFiles = {
      readdir: () => ['1', '7', '8', '9', 'self', 'net'],
      read: (path) => {
        if (!(path in tree)) throw new Error(`ENOENT ${path}`);
        return Buffer.from(tree[path]!);
      },
    };
    const found = scanProcesses(true, files);
    expect([...found.keys()]).toEqual([8]); // 1 has no cmdline here, 7 is a zombie, 9 is gone
    expect(found.get(8)!.identity.cmdline!.toString()).toBe('nginx\0-g\0daemon off;\0');
    expect([...scanProcesses(false, files).keys()]).toEqual([1, 8]);
  });
});
