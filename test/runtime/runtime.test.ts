import { describe, expect, it } from 'vitest';
import { asError, errorMessage } from '../../src/runtime/errors.js';
import { callbackLogger, createLogger, type LogFields } from '../../src/runtime/log.js';
import { ManualTimers } from '../../src/runtime/manual-timers.js';
import { SerialQueue } from '../../src/runtime/serial-queue.js';
import { KeyedTimers } from '../../src/runtime/timers.js';

describe('errors', () => {
  it('turns anything thrown into text or an Error', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
    expect(asError(42).message).toBe('42');
    const original = new Error('same');
    expect(asError(original)).toBe(original);
  });
});

describe('ManualTimers', () => {
  it('fires timers in due order, ties in arming order, and periodic ones repeatedly', () => {
    const timers = new ManualTimers();
    const fired: string[] = [];
    timers.after(20, () => fired.push(`b@${timers.now()}`));
    timers.after(10, () => fired.push(`a@${timers.now()}`));
    timers.after(20, () => fired.push(`c@${timers.now()}`));
    const tick = timers.every(15, () => fired.push(`t@${timers.now()}`));
    timers.advance(31);
    tick.cancel();
    timers.advance(100);
    expect(fired).toEqual(['a@10', 't@15', 'b@20', 'c@20', 't@30']);
    expect(timers.now()).toBe(131);
    expect(timers.size()).toBe(0);
  });

  it('does not fire a cancelled timer', () => {
    const timers = new ManualTimers();
    let fired = false;
    timers.after(5, () => (fired = true)).cancel();
    timers.advance(10);
    expect(fired).toBe(false);
  });
});

describe('KeyedTimers', () => {
  it('keeps one timer per key: re-arming replaces, cancelWhere cancels a family', () => {
    const clock = new ManualTimers();
    const keyed = new KeyedTimers<string>(clock);
    const fired: string[] = [];
    keyed.arm('VI_1/advert', 10, () => fired.push('first'));
    keyed.arm('VI_1/advert', 20, () => fired.push('second'));
    keyed.arm('VI_2/advert', 5, () => fired.push('other'));
    keyed.arm('VI_1/down', 30, () => fired.push('down'));
    clock.advance(15);
    keyed.cancelWhere((key) => key.startsWith('VI_1/'));
    clock.advance(100);
    expect(fired).toEqual(['other']);
    expect(keyed.size()).toBe(0);
  });
});

describe('KeyedTimers over timers that restart (no new timer per re-arm)', () => {
  /** ManualTimers, counting the timers created and restarted. */
  function counted() {
    const clock = new ManualTimers();
    const counts = { created: 0, restarted: 0 };
    const timers = {
      after(delayMs: number, callback: () => void) {
        counts.created++;
        const handle = clock.after(delayMs, callback);
        return {
          cancel: () => handle.cancel(),
          restart: (nextMs: number) => {
            counts.restarted++;
            handle.restart!(nextMs);
          },
        };
      },
      every: clock.every.bind(clock),
    };
    return { clock, counts, keyed: new KeyedTimers<string>(timers) };
  }

  it('re-arming a pending key moves its one timer; the last callback given is the one that runs', () => {
    const { clock, counts, keyed } = counted();
    const fired: string[] = [];
    keyed.arm('down', 30, () => fired.push('first'));
    clock.advance(20);
    keyed.arm('down', 30, () => fired.push('second'));
    clock.advance(20);
    expect(fired).toEqual([]);
    expect(keyed.has('down')).toBe(true);
    clock.advance(10);
    expect(fired).toEqual(['second']);
    expect(clock.now()).toBe(50);
    expect(keyed.has('down')).toBe(false);
    expect(keyed.size()).toBe(0);
    expect(counts).toEqual({ created: 1, restarted: 1 });
  });

  it('a key armed again from its own callback reuses its timer; one not armed again is let go', () => {
    const { clock, counts, keyed } = counted();
    const fired: number[] = [];
    const advert = (): void => {
      fired.push(clock.now());
      if (fired.length < 3) keyed.arm('advert', 10, advert);
    };
    keyed.arm('advert', 10, advert);
    clock.advance(100);
    expect(fired).toEqual([10, 20, 30]);
    expect(keyed.size()).toBe(0);
    expect(counts).toEqual({ created: 1, restarted: 2 });
    // Freed after its last run: arming it again makes a new timer.
    keyed.arm('advert', 5, () => fired.push(-1));
    expect(counts.created).toBe(2);
  });

  it('cancel from a callback and a different unref make a new timer; cancelled keys never run', () => {
    const { clock, counts, keyed } = counted();
    const fired: string[] = [];
    keyed.arm('a', 10, () => {
      fired.push('a');
      keyed.cancel('a');
      keyed.arm('a', 10, () => fired.push('a again'));
    });
    keyed.arm('b', 10, () => fired.push('b'));
    keyed.arm('b', 10, () => fired.push('b unref'), { unref: true });
    keyed.arm('c', 10, () => fired.push('c'));
    keyed.cancel('c');
    clock.advance(30);
    expect(fired).toEqual(['a', 'b unref', 'a again']);
    expect(counts).toEqual({ created: 5, restarted: 0 });
  });
});

describe('systemTimers.restart', () => {
  it('re-runs a timer that has fired, and moves a pending one (same and other delays)', async () => {
    const { systemTimers } = await import('../../src/runtime/timers.js');
    const runs: string[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const handle = systemTimers.after(1, () => {
      runs.push('run');
      if (runs.length === 1) handle.restart!(1);
      else if (runs.length === 2) {
        handle.restart!(5);
        handle.restart!(1);
      } else done();
    });
    await finished;
    expect(runs).toEqual(['run', 'run', 'run']);
    handle.cancel();
  });
});

describe('SerialQueue', () => {
  it('runs work in order, one piece at a time, and goes on after a failure', async () => {
    const errors: string[] = [];
    const queue = new SerialQueue((label, message) => errors.push(`${label}: ${message}`));
    const order: string[] = [];
    let running = 0;
    let overlap = false;
    const piece =
      (name: string, fail = false) =>
      async () => {
        running++;
        if (running > 1) overlap = true;
        await new Promise((resolve) => setImmediate(resolve));
        order.push(name);
        running--;
        if (fail) throw new Error(`${name} failed`);
      };
    queue.push('one', piece('one'));
    queue.push('two', piece('two', true));
    queue.push('three', piece('three'));
    expect(queue.size()).toBe(3);
    await queue.idle();
    expect(order).toEqual(['one', 'two', 'three']);
    expect(overlap).toBe(false);
    expect(errors).toEqual(['two: two failed']);
    expect(queue.size()).toBe(0);
  });
});

describe('logger', () => {
  it('writes pino-shaped JSON lines with child bindings, dropping lines below the level', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      pretty: false,
      destination: { write: (l) => lines.push(l) },
    });
    logger.debug('hidden');
    logger
      .child({ instance: 'VI_1' })
      .warn({ reason: 'x', skipped: undefined, err: new Error('e') }, 'hello "you"');
    logger.info('plain');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({
      level: 40,
      pid: process.pid,
      instance: 'VI_1',
      reason: 'x',
      msg: 'hello "you"',
    });
    expect(first).not.toHaveProperty('skipped');
    expect(first.err).toMatchObject({ type: 'Error', message: 'e' });
    expect(typeof first.time).toBe('string');
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 30, msg: 'plain' });
    expect(lines.every((l) => l.endsWith('}\n'))).toBe(true);
  });

  it('callbackLogger hands lines over as values, with bindings merged', () => {
    const seen: Array<[string, LogFields, string]> = [];
    const logger = callbackLogger((level, fields, message) => seen.push([level, fields, message]));
    logger.child({ group: 'g' }).error({ code: 1 }, 'bad');
    logger.info('ok');
    expect(seen).toEqual([
      ['error', { group: 'g', code: 1 }, 'bad'],
      ['info', {}, 'ok'],
    ]);
  });
});
