import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineBuffer } from '../../src/control/line-buffer.js';
import {
  ControlErrorCode,
  encodeReply,
  encodeRequest,
  parseReplyLine,
  parseRequestLine,
} from '../../src/control/protocol.js';

describe('parseRequestLine', () => {
  it('parses each command with its arguments', () => {
    expect(parseRequestLine('{"id":1,"command":"status"}')).toEqual({
      ok: true,
      request: { id: 1, command: 'status', args: {} },
    });
    expect(parseRequestLine('{"id":"a","command":"status","args":{"instance":"VI_1"}}')).toEqual({
      ok: true,
      request: { id: 'a', command: 'status', args: { instance: 'VI_1' } },
    });
    expect(parseRequestLine('{"id":2,"command":"stats","args":{"clear":true}}')).toEqual({
      ok: true,
      request: { id: 2, command: 'stats', args: { clear: true } },
    });
    expect(parseRequestLine('{"id":3,"command":"stats"}')).toEqual({
      ok: true,
      request: { id: 3, command: 'stats', args: { clear: false } },
    });
    expect(parseRequestLine('{"id":4,"command":"reload","args":{}}')).toEqual({
      ok: true,
      request: { id: 4, command: 'reload', args: {} },
    });
    expect(parseRequestLine('{"command":"garp","args":{"instance":"VI_1"}}')).toEqual({
      ok: true,
      request: { id: null, command: 'garp', args: { instance: 'VI_1' } },
    });
    expect(parseRequestLine('{"id":5,"command":"uplinkPin","args":{"gateway":"op2","group":"ISP"}}')).toEqual(
      {
        ok: true,
        request: { id: 5, command: 'uplinkPin', args: { gateway: 'op2', group: 'ISP' } },
      },
    );
    expect(parseRequestLine('{"id":6,"command":"uplinkPin","args":{"gateway":null}}')).toEqual({
      ok: true,
      request: { id: 6, command: 'uplinkPin', args: { gateway: null } },
    });
  });

  it('turns every malformed request into a coded error, keeping the id when it can', () => {
    const code = (line: string): string | undefined => {
      const parsed = parseRequestLine(line);
      return parsed.ok ? undefined : parsed.error.code;
    };
    expect(code('{"id":1,"command":')).toBe(ControlErrorCode.badJson);
    expect(code('not json at all')).toBe(ControlErrorCode.badJson);
    expect(code('[1,2]')).toBe(ControlErrorCode.badRequest);
    expect(code('"status"')).toBe(ControlErrorCode.badRequest);
    expect(code('{"id":{},"command":"status"}')).toBe(ControlErrorCode.badRequest);
    expect(code('{"id":1}')).toBe(ControlErrorCode.badRequest);
    expect(code('{"id":1,"command":"reboot"}')).toBe(ControlErrorCode.unknownCommand);
    expect(code('{"id":1,"command":"status","args":[]}')).toBe(ControlErrorCode.badArguments);
    expect(code('{"id":1,"command":"status","args":{"instance":7}}')).toBe(ControlErrorCode.badArguments);
    expect(code('{"id":1,"command":"stats","args":{"clear":"yes"}}')).toBe(ControlErrorCode.badArguments);
    expect(code('{"id":1,"command":"garp"}')).toBe(ControlErrorCode.badArguments);
    expect(code('{"id":1,"command":"uplinkPin","args":{}}')).toBe(ControlErrorCode.badArguments);
    expect(code('{"id":1,"command":"uplinkPin","args":{"gateway":"x","group":3}}')).toBe(
      ControlErrorCode.badArguments,
    );

    const unknown = parseRequestLine('{"id":9,"command":"reboot"}');
    expect(unknown).toMatchObject({ ok: false, id: 9 });
    if (!unknown.ok) expect(unknown.error.message).toContain('status, stats, reload, garp');
  });

  it('never throws, whatever the line holds', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (line) => {
        const parsed = parseRequestLine(line);
        expect(typeof parsed.ok).toBe('boolean');
      }),
    );
  });
});

describe('reply and request lines', () => {
  it('round-trips replies through one newline-terminated line', () => {
    const ok = { id: 5, ok: true as const, result: { instances: [], uplinks: [] } };
    const failed = { id: null, ok: false as const, error: { code: 'VRRPD_E_CTL_X', message: 'no' } };
    for (const reply of [ok, failed]) {
      const line = encodeReply(reply);
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      expect(parseReplyLine(line.slice(0, -1))).toEqual(reply);
    }
    expect(parseReplyLine('{"ok":false,"error":"flat"}')).toBeNull();
    expect(parseReplyLine('garbage')).toBeNull();
  });

  it('encodes requests the server parses back', () => {
    const line = encodeRequest(7, 'garp', { instance: 'VI_1' });
    expect(parseRequestLine(line.trimEnd())).toEqual({
      ok: true,
      request: { id: 7, command: 'garp', args: { instance: 'VI_1' } },
    });
  });
});

describe('LineBuffer', () => {
  it('yields the same lines however the stream is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, '')),
          {
            maxLength: 8,
          },
        ),
        fc.array(fc.nat(40), { maxLength: 10 }),
        (lines, cuts) => {
          const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          const buffer = new LineBuffer(1000);
          const seen: string[] = [];
          let start = 0;
          for (const point of [...points, bytes.length]) {
            seen.push(...buffer.push(bytes.subarray(start, point)));
            start = point;
          }
          expect(seen).toEqual(lines);
        },
      ),
    );
  });

  it('strips a trailing carriage return', () => {
    expect(new LineBuffer(100).push(Buffer.from('a\r\nb\n'))).toEqual(['a', 'b']);
  });

  it('flags a line past the cap, with or without its newline, and stops buffering', () => {
    const withoutNewline = new LineBuffer(10);
    expect(withoutNewline.push(Buffer.from('12345'))).toEqual([]);
    expect(withoutNewline.overflowed).toBe(false);
    expect(withoutNewline.push(Buffer.from('678901'))).toEqual([]);
    expect(withoutNewline.overflowed).toBe(true);
    expect(withoutNewline.push(Buffer.from('\nok\n'))).toEqual([]);

    const longLine = new LineBuffer(4);
    expect(longLine.push(Buffer.from('ok\ntoo long\nlater\n'))).toEqual(['ok']);
    expect(longLine.overflowed).toBe(true);

    const exact = new LineBuffer(4);
    expect(exact.push(Buffer.from('1234\n'))).toEqual(['1234']);
    expect(exact.overflowed).toBe(false);
  });
});

describe('administrative commands', () => {
  it('parse handover / resume / demote with their fields, defaults filled', () => {
    expect(
      parseRequestLine(
        JSON.stringify({
          id: 1,
          command: 'handover',
          args: { instances: ['VI_1'], by: 'alice', forMs: 60000 },
        }),
      ),
    ).toEqual({
      ok: true,
      request: {
        id: 1,
        command: 'handover',
        args: { instances: ['VI_1'], all: false, by: 'alice', reason: '', wait: false, forMs: 60000 },
      },
    });
    expect(parseRequestLine(JSON.stringify({ id: 2, command: 'resume', args: { all: true } }))).toMatchObject(
      {
        ok: true,
        request: { args: { instances: [], all: true, by: 'unknown' } },
      },
    );
    expect(
      parseRequestLine(
        JSON.stringify({ id: 3, command: 'demote', args: { instances: ['VI_1'], delta: 10 } }),
      ),
    ).toMatchObject({ ok: true, request: { args: { delta: 10 } } });
  });

  it('refuse malformed ones with VRRPD_E_CTL_BAD_ARGS', () => {
    for (const args of [
      {},
      { instances: ['VI_1'], all: true },
      { instances: 'VI_1' },
      { instances: ['VI_1'], forMs: -5 },
      { instances: ['VI_1'], to: 5 },
      { instances: ['VI_1'], wait: 'yes' },
      { instances: ['VI_1'], by: 'x'.repeat(300) },
    ]) {
      expect(parseRequestLine(JSON.stringify({ id: 9, command: 'handover', args }))).toMatchObject({
        ok: false,
        error: { code: 'VRRPD_E_CTL_BAD_ARGS' },
      });
    }
    for (const args of [
      { instances: ['VI_1'] },
      { instances: ['VI_1'], priority: 100, delta: 5 },
      { instances: ['VI_1'], priority: 255 },
      { instances: ['A', 'B'], priority: 100 },
    ]) {
      expect(parseRequestLine(JSON.stringify({ id: 9, command: 'demote', args }))).toMatchObject({
        ok: false,
      });
    }
  });
});
