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
