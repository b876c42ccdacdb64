// keepalived's non-transition notifies through the daemon: a reload removing an instance reports
// DELETED (notify_deleted, with its own script argv) or the historic FAULT, never STOP; a MASTER
// hearing a lower priority runs notify_master_rx_lower_pri and writes MASTER_RX_LOWER_PRI.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fifoLines, openFifoReader } from './fifo-reader.js';
import { advertFor, craftPacket, instanceBlock, Lab } from './harness.js';

let dir: string;
beforeEach(() => {
  vi.useFakeTimers();
  dir = mkdtempSync(join(tmpdir(), 'vrrpd-event-notify-'));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

const A = '192.0.2.1';
const AUTH = '  authentication {\n    auth_type PASS\n    auth_pass secret1\n  }';

describe('notify_deleted', () => {
  it('a removed instance reports DELETED with notify_deleted, FAULT without, and no STOP', async () => {
    const fifo = join(dir, 'notify.fifo');
    const globals = `global_defs {\n  notify_fifo ${fifo}\n}\n`;
    const second = (extra: string) =>
      instanceBlock({ name: 'VI_2', vrid: 52, priority: 100, vips: ['192.0.2.252/24'], extra });
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(
      globals +
        instanceBlock({ priority: 100 }) +
        second('  notify_deleted') +
        instanceBlock({ name: 'VI_3', vrid: 53, priority: 100, vips: ['192.0.2.253/24'] }),
    );
    await lab.advance(4000);
    const reader = openFifoReader(fifo);
    reader.lines();
    await a.reload(globals + instanceBlock({ priority: 100 }));
    await lab.advance(100);
    const lines = reader.lines();
    reader.close();
    expect(lines).toContain('INSTANCE "VI_2" DELETED 100');
    expect(lines).toContain('INSTANCE "VI_3" FAULT 100');
    expect(lines.filter((l) => l.includes(' STOP '))).toEqual([]);
  });
});

describe('notify_master_rx_lower_pri', () => {
  it('a MASTER hearing a lower priority writes MASTER_RX_LOWER_PRI and stays MASTER', async () => {
    const fifo = join(dir, 'notify.fifo');
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(
      `global_defs {\n  vrrp_notify_fifo ${fifo}\n}\n` +
        instanceBlock({ priority: 150, extra: `${AUTH}\n  notify_master_rx_lower_pri /bin/true` }),
    );
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    fifoLines(fifo);
    a.inject(craftPacket(advertFor({ priority: 100 }), { source: '192.0.2.9' }), '192.0.2.9');
    // A resignation (priority 0) is not a lower priority.
    a.inject(craftPacket(advertFor({ priority: 0 }), { source: '192.0.2.9' }), '192.0.2.9');
    await lab.advance(10);
    expect(a.state()).toBe('MASTER');
    expect(fifoLines(fifo)).toEqual(['INSTANCE "VI_1" MASTER_RX_LOWER_PRI 150']);
  });
});
