// Link notifications to up/down transitions (pure).

import { describe, expect, it } from 'vitest';
import { LinkStateTracker } from '../../src/kernel/link-state.js';
import type { LinkInfo } from '../../src/kernel/links.js';

const eth0 = (flags: Partial<LinkInfo>): LinkInfo => ({
  ifindex: 2,
  name: 'eth0',
  mac: '02:00:00:00:00:01',
  adminUp: true,
  running: true,
  lowerUp: true,
  operState: 'up',
  ...flags,
});

describe('LinkStateTracker', () => {
  it('reports only changes of usability (admin UP and RUNNING)', () => {
    const tracker = new LinkStateTracker();
    tracker.seed([eth0({})]);
    expect(tracker.update(eth0({}), false)).toBeUndefined(); // e.g. an MTU change
    expect(tracker.update(eth0({ running: false, lowerUp: false, operState: 'down' }), false)).toEqual({
      ifindex: 2,
      name: 'eth0',
      usable: false,
    });
    expect(tracker.update(eth0({ adminUp: false, running: false }), false)).toBeUndefined();
    expect(tracker.update(eth0({}), false)).toEqual({ ifindex: 2, name: 'eth0', usable: true });
    expect(tracker.isUsable(2)).toBe(true);
  });

  it('treats removal as down and a new interface as one transition', () => {
    const tracker = new LinkStateTracker();
    expect(tracker.update(eth0({}), false)).toEqual({ ifindex: 2, name: 'eth0', usable: true });
    expect(tracker.update(eth0({}), true)).toEqual({ ifindex: 2, name: 'eth0', usable: false });
    expect(tracker.isUsable(2)).toBeUndefined();
  });
});
