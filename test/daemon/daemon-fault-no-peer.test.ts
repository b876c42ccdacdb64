// unicast_fault_no_peer without any unicast peer: keepalived (≥ 2.2.5) holds the instance in FAULT
// rather than falling back to multicast (vrrp.c: "Cannot use unicast without any peers - going to
// fault state"), for as long as it runs. vrrpd does the same with a permanent fault source; a
// reload that gives it peers, or drops the keyword, lets it run.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { statusSnapshot } from '../../src/daemon/status.js';
import { instanceBlock, Lab } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';

describe('unicast_fault_no_peer', () => {
  it('no peer: FAULT from the start, nothing sent, no address taken, until a reload lists a peer', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(instanceBlock({ priority: 150, extra: '  unicast_fault_no_peer\n  unicast_peer {\n  }' }));
    await lab.advance(10_000);
    expect(a.state()).toBe('FAULT');
    expect(a.transitions.map((t) => `${t.from}>${t.to}`)).toEqual(['INIT>FAULT']);
    expect(lab.advertsFrom(A)).toEqual([]);
    expect(a.hasAddress('192.0.2.254')).toBe(false);
    expect(statusSnapshot(a.daemon).instances[0]?.state).toBe('FAULT');

    // With a peer it is a unicast instance (another identity): it starts afresh and elects itself.
    await a.reload(
      instanceBlock({ priority: 150, extra: `  unicast_fault_no_peer\n  unicast_peer {\n    ${B}\n  }` }),
    );
    await lab.advance(5000);
    expect(a.state()).toBe('MASTER');
    expect(lab.advertsFrom(A).length).toBeGreaterThan(0);
  });

  it('a reload dropping the keyword (still no peer) clears the fault: multicast, as keepalived runs it', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(instanceBlock({ priority: 150, extra: '  unicast_fault_no_peer' }));
    await lab.advance(5000);
    expect(a.state()).toBe('FAULT');
    await a.reload(instanceBlock({ priority: 150 }));
    await lab.advance(5000);
    expect(a.state()).toBe('MASTER');
  });

  it('with peers the keyword changes nothing', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(
      instanceBlock({ priority: 150, extra: `  unicast_fault_no_peer\n  unicast_peer {\n    ${B}\n  }` }),
    );
    await lab.advance(5000);
    expect(a.state()).toBe('MASTER');
    expect(a.transitions.map((t) => t.to)).toEqual(['BACKUP', 'MASTER']);
  });
});
