// vrrp_track_process through the daemon (a fake /proc, polled on the lab's clock): weight 0 holds
// the instance in FAULT without quorum, as keepalived does ("quorum not achieved"); a weighted one
// moves the effective priority; the sync group's track_process applies to members; status shows
// the tracker as kind `process`.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScannedProcess } from '../../src/kernel/proc-scan.js';
import { statusSnapshot } from '../../src/daemon/status.js';
import { validateStatusSnapshot } from '../../src/control/status-validate.js';
import { instanceBlock, Lab } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

class ProcessTable {
  readonly processes = new Map<number, ScannedProcess>();
  add(pid: number, comm: string): void {
    this.processes.set(pid, { identity: { comm, cmdline: null }, ppid: 1 });
  }
  scan = () => new Map(this.processes);
  read = (pid: number) => this.processes.get(pid) ?? null;
}

const TRACK = (weight: number) => `
vrrp_track_process proc_nginx {
  process nginx
  quorum 2
  weight ${weight}
}
`;

function router(table: ProcessTable) {
  const lab = new Lab();
  const a = lab.router('192.0.2.1', {
    processTracking: { mode: 'poll', pollIntervalMs: 100, scan: table.scan, read: table.read },
  });
  return { lab, a };
}

describe('vrrp_track_process', () => {
  it('weight 0: FAULT until the quorum is reached, FAULT again when it is lost', async () => {
    const table = new ProcessTable();
    const { lab, a } = router(table);
    await a.start(
      TRACK(0) + instanceBlock({ priority: 100, extra: '  track_process {\n    proc_nginx\n  }' }),
    );
    await lab.advance(4000);
    expect(a.state()).toBe('FAULT');
    table.add(100, 'nginx');
    await lab.advance(300);
    expect(a.state()).toBe('FAULT');
    table.add(101, 'nginx');
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    const status = statusSnapshot(a.daemon);
    expect(validateStatusSnapshot(JSON.parse(JSON.stringify(status)))).toEqual([]);
    expect(status.instances[0]!.trackers).toMatchObject([
      { kind: 'process', name: 'proc_nginx', status: 'UP' },
    ]);
    table.processes.delete(100);
    await lab.advance(300);
    expect(a.state()).toBe('FAULT');
  });

  it('a weighted tracker moves the effective priority; the instance’s own weight wins', async () => {
    const table = new ProcessTable();
    table.add(100, 'nginx');
    table.add(101, 'nginx');
    const { lab, a } = router(table);
    await a.start(
      TRACK(-30) +
        instanceBlock({ priority: 100, extra: '  track_process {\n    proc_nginx weight 25\n  }' }),
    );
    await lab.advance(4000);
    expect(statusSnapshot(a.daemon).instances[0]!.effectivePriority).toBe(125);
    table.processes.delete(101);
    await lab.advance(300);
    expect(statusSnapshot(a.daemon).instances[0]!.effectivePriority).toBe(100);
  });
});
