// Kernel notifications into the daemon: a VIP deleted behind our back, stale notifications of our
// own removals, links going down and up (the instance's own interface and tracked ones).

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { statusSnapshot } from '../../src/daemon/status.js';
import { ETH0_INDEX, instanceBlock, Lab, VIP, type TestRouter } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const A = '192.0.2.1';
const B = '192.0.2.2';

interface PairOptions {
  /** Mark A's VIP no_track. */
  noTrack?: boolean;
  /** Give A a second interface eth1 and this track_interface block. */
  trackInterface?: string;
}

async function electedPair(options: PairOptions = {}): Promise<{ lab: Lab; a: TestRouter; b: TestRouter }> {
  const lab = new Lab();
  const a = lab.router(A);
  const b = lab.router(B);
  if (options.trackInterface) a.addLink('eth1', 3);
  await a.start(
    instanceBlock({
      priority: 150,
      vips: [`${VIP}/24${options.noTrack ? ' no_track' : ''}`],
      ...(options.trackInterface ? { extra: options.trackInterface } : {}),
    }),
  );
  await b.start(instanceBlock({ priority: 100 }));
  await lab.advance(4000);
  expect(a.state()).toBe('MASTER');
  expect(b.state()).toBe('BACKUP');
  return { lab, a, b };
}

const path = (router: TestRouter) => router.transitions.map((t) => `${t.from}->${t.to}`);

describe('a VIP deleted by someone else', () => {
  it('makes the MASTER release with priority 0 and re-elect; preemption brings the VIP back', async () => {
    const { lab, a, b } = await electedPair();
    const sentBefore = lab.advertsFrom(A).length;
    a.deleteAddressExternally(VIP);
    await lab.advance(10);
    expect(lab.advertsFrom(A)[sentBefore]!.priority).toBe(0);
    expect(path(a).slice(2)).toEqual(['MASTER->FAULT', 'FAULT->BACKUP']);
    expect(a.logsWith('vip', VIP).some((l) => String(l.msg).includes('removed by someone else'))).toBe(true);
    // The backup takes over after Skew_Time…
    await lab.advance(700);
    expect(b.state()).toBe('MASTER');
    expect(b.hasAddress(VIP)).toBe(true);
    // …and A, with the higher priority, preempts it back and re-adds the address.
    await lab.advance(5000);
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
    expect(a.hasAddress(VIP)).toBe(true);
    expect(b.hasAddress(VIP)).toBe(false);
    expect(a.addressOps(VIP)).toEqual(['addAddress', 'removeAddress', 'addAddress']);
  });

  it('with no_track the MASTER stays MASTER and says so', async () => {
    const { lab, a, b } = await electedPair({ noTrack: true });
    const sentBefore = lab.advertsFrom(A).length;
    a.deleteAddressExternally(VIP);
    await lab.advance(3000);
    expect(path(a)).toEqual(['INIT->BACKUP', 'BACKUP->MASTER']);
    expect(
      lab
        .advertsFrom(A)
        .slice(sentBefore)
        .every((advert) => advert.priority === 150),
    ).toBe(true);
    expect(b.state()).toBe('BACKUP');
    expect(
      a.logsWith('msg', 'virtual address removed by someone else (no_track: staying MASTER)'),
    ).toHaveLength(1);
  });

  it('our own removal is not mistaken for sabotage, even when its notification arrives late', async () => {
    // An address owner leaves FAULT straight to MASTER, so a link flap removes and re-adds the
    // VIP at once; the kernel's RTM_DELADDR for the removal can be read after the re-add.
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(instanceBlock({ priority: 255, state: 'MASTER' }));
    await lab.advance(100);
    expect(a.state()).toBe('MASTER');
    a.linkEvent(false);
    await lab.advance(100);
    expect(a.hasAddress(VIP)).toBe(false);
    a.linkEvent(true);
    await lab.advance(100);
    expect(a.hasAddress(VIP)).toBe(true);
    const transitions = a.transitions.length;
    const releases = lab.advertsFrom(A).filter((advert) => advert.priority === 0).length;
    a.emitAddressRemoved(VIP);
    await lab.advance(100);
    expect(a.transitions).toHaveLength(transitions);
    expect(lab.advertsFrom(A).filter((advert) => advert.priority === 0)).toHaveLength(releases);
    expect(a.state()).toBe('MASTER');
    // A real deletion right after is still acted upon.
    a.deleteAddressExternally(VIP);
    await lab.advance(100);
    expect(path(a).slice(transitions)).toEqual(['MASTER->FAULT', 'FAULT->MASTER']);
    expect(a.hasAddress(VIP)).toBe(true);
  });

  it('an address event for another interface or a non-VIP address is ignored', async () => {
    const { lab, a } = await electedPair();
    a.events.emit({
      kind: 'address',
      removed: true,
      address: { ifindex: ETH0_INDEX + 7, address: VIP, prefixLength: 24, scope: 0, secondary: false },
    });
    a.emitAddressRemoved('192.0.2.77');
    await lab.advance(100);
    expect(path(a)).toEqual(['INIT->BACKUP', 'BACKUP->MASTER']);
  });
});

describe('link events', () => {
  it('the interface going down puts the MASTER in FAULT (VIP removed); coming back it recovers', async () => {
    const { lab, a, b } = await electedPair();
    a.linkEvent(false);
    await lab.advance(10);
    expect(a.state()).toBe('FAULT');
    expect(a.hasAddress(VIP)).toBe(false);
    expect(statusSnapshot(a.daemon).instances[0]).toMatchObject({
      state: 'FAULT',
      lastTransitionReason: 'fault',
    });
    await lab.advance(4000);
    expect(b.state()).toBe('MASTER');
    a.linkEvent(true);
    await lab.advance(10);
    expect(a.state()).toBe('BACKUP');
    expect(a.transitions.at(-1)).toMatchObject({ from: 'FAULT', to: 'BACKUP' });
    await lab.advance(4000);
    expect(a.state()).toBe('MASTER');
    expect(b.state()).toBe('BACKUP');
  });

  it('a BACKUP goes to FAULT and back to BACKUP; repeated identical notifications change nothing', async () => {
    const { lab, b } = await electedPair();
    b.linkEvent(false);
    b.linkEvent(false);
    await lab.advance(10);
    expect(path(b)).toEqual(['INIT->BACKUP', 'BACKUP->FAULT']);
    b.linkEvent(true);
    b.linkEvent(true);
    await lab.advance(10);
    expect(path(b)).toEqual(['INIT->BACKUP', 'BACKUP->FAULT', 'FAULT->BACKUP']);
  });

  it('with dont_track_primary the own interface does not fault the instance', async () => {
    const lab = new Lab();
    const a = lab.router(A);
    await a.start(instanceBlock({ priority: 150, extra: '  dont_track_primary' }));
    await lab.advance(4000);
    a.linkEvent(false);
    await lab.advance(10);
    expect(a.state()).toBe('MASTER');
  });

  it('a tracked interface with a negative weight lowers the priority and lets the peer preempt', async () => {
    const { lab, a, b } = await electedPair({
      trackInterface: '  track_interface {\n    eth1 weight -60\n  }',
    });
    a.linkEvent(false, 'eth1');
    await lab.advance(10);
    expect(a.daemon.instances()[0]!.instance.effectivePriority).toBe(90);
    expect(statusSnapshot(a.daemon).instances[0]!.trackers).toEqual([
      {
        kind: 'interface',
        name: 'eth1',
        status: 'DOWN',
        weight: -60,
        contribution: -60,
        consecutiveSuccesses: null,
        consecutiveFailures: null,
      },
    ]);
    await lab.advance(5000);
    expect(b.state()).toBe('MASTER');
    expect(a.state()).toBe('BACKUP');
    a.linkEvent(true, 'eth1');
    await lab.advance(5000);
    expect(a.daemon.instances()[0]!.instance.effectivePriority).toBe(150);
    expect(a.state()).toBe('MASTER');
  });

  it('a netlink overrun re-reads the links and catches up with a change it missed', async () => {
    const { lab, a } = await electedPair();
    a.netlink.linkList = a.netlink.linkList.map((l) => ({
      ...l,
      running: false,
      operState: 'down' as const,
    }));
    a.events.emit({ kind: 'overrun' });
    await lab.advance(10);
    expect(a.state()).toBe('FAULT');
  });
});
