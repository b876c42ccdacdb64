import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFifoLine, NotifyFifoWriter, type FifoEvent } from '../../src/scripts/fifo.js';
import { RecordingLogger, TempDir, specFor, waitFor } from './helpers.js';

let dir: TempDir;
beforeAll(() => {
  dir = new TempDir();
});
afterAll(() => {
  dir.remove();
});

function openWriter(
  name: string,
  logger = new RecordingLogger(),
  extra: { readerScript?: string } = {},
): NotifyFifoWriter {
  const opened = NotifyFifoWriter.open({
    path: dir.file(name),
    logger,
    create: true,
    readerScript: extra.readerScript === undefined ? undefined : specFor([extra.readerScript]),
  });
  if (!opened.ok) throw new Error(opened.message);
  return opened.writer;
}

/** Collect what a reader of the FIFO receives (the stream's open never blocks: the writer holds O_RDWR). */
function collect(path: string): { text: () => string; close: () => void } {
  let received = '';
  const stream = createReadStream(path, { encoding: 'utf8' });
  stream.on('data', (chunk) => {
    received += chunk;
  });
  return { text: () => received, close: () => stream.destroy() };
}

describe('formatFifoLine', () => {
  it("writes keepalived's line format", () => {
    expect(formatFifoLine({ subject: 'INSTANCE', name: 'VI_1', state: 'MASTER', priority: 100 })).toBe(
      'INSTANCE "VI_1" MASTER 100\n',
    );
    expect(formatFifoLine({ subject: 'GROUP', name: 'G1', state: 'BACKUP', priority: 42 })).toBe(
      'GROUP "G1" BACKUP 0\n',
    );
    expect(
      formatFifoLine({ subject: 'INSTANCE', name: 'VI_1', state: 'MASTER_PRIORITY', priority: 90 }),
    ).toBe('INSTANCE "VI_1" MASTER_PRIORITY 90\n');
  });
});

describe('NotifyFifoWriter on a real FIFO', () => {
  it('delivers the lines in event order to a reader', async () => {
    const writer = openWriter('order.fifo');
    const reader = collect(dir.file('order.fifo'));
    const events: FifoEvent[] = [
      { subject: 'INSTANCE', name: 'VI_1', state: 'BACKUP', priority: 100 },
      { subject: 'GROUP', name: 'G1', state: 'BACKUP', priority: 0 },
      { subject: 'INSTANCE', name: 'VI_1', state: 'MASTER', priority: 100 },
      { subject: 'INSTANCE', name: 'VI_1', state: 'FAULT', priority: 100 },
      { subject: 'INSTANCE', name: 'VI_1', state: 'STOP', priority: 0 },
    ];
    for (const event of events) expect(writer.write(event)).toBe(true);
    const expected = events.map(formatFifoLine).join('');
    expect(await waitFor(() => reader.text().length >= expected.length, 2000)).toBe(true);
    expect(reader.text()).toBe(expected);
    reader.close();
    await writer.close();
    // We created it, so we remove it.
    expect(existsSync(dir.file('order.fifo'))).toBe(false);
  });

  it('never blocks without a reader: lines are buffered, then dropped and counted when the pipe is full', async () => {
    const logger = new RecordingLogger();
    const writer = openWriter('nobody.fifo', logger);
    let written = 0;
    let refused = 0;
    // 64 KiB of pipe buffer holds ~2500 of these lines; 10000 must overflow it.
    for (let index = 0; index < 10_000; index += 1) {
      if (writer.write({ subject: 'INSTANCE', name: `VI_${index}`, state: 'MASTER', priority: 100 }))
        written += 1;
      else refused += 1;
    }
    expect(written).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(writer.dropped).toBe(refused);
    // One warning for the whole streak, not one per line.
    expect(logger.messages('warn')).toHaveLength(1);
    // A reader that arrives later gets the buffered lines, oldest first.
    const reader = collect(dir.file('nobody.fifo'));
    expect(await waitFor(() => reader.text().includes('\n'), 2000)).toBe(true);
    expect(reader.text().split('\n')[0]).toBe('INSTANCE "VI_0" MASTER 100');
    reader.close();
    await writer.close();
  });

  it('starts notify_fifo_script with the FIFO path as last argument and stops it on close', async () => {
    const out = dir.file('reader.out');
    const script = dir.script(
      'fifo-reader.sh',
      `#!/bin/sh\nwhile read -r line; do echo "got $line" >> ${out}; done < "$1"\n`,
    );
    const writer = openWriter('scripted.fifo', new RecordingLogger(), { readerScript: script });
    writer.write({ subject: 'INSTANCE', name: 'VI_1', state: 'MASTER', priority: 100 });
    writer.write({ subject: 'GROUP', name: 'G1', state: 'MASTER', priority: 0 });
    const lines = (): string[] => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n') : []);
    expect(await waitFor(() => lines().length === 2, 3000)).toBe(true);
    expect(lines()).toEqual(['got INSTANCE "VI_1" MASTER 100', 'got GROUP "G1" MASTER 0']);
    await writer.close();
  });

  it('refuses a path that is not a FIFO, and a missing one unless asked to create it', () => {
    const plain = dir.file('plain-file');
    writeFileSync(plain, '');
    const notFifo = NotifyFifoWriter.open({ path: plain, logger: new RecordingLogger() });
    expect(notFifo).toEqual({ ok: false, message: `notify FIFO ${plain} exists and is not a FIFO` });
    const missing = NotifyFifoWriter.open({ path: dir.file('absent.fifo'), logger: new RecordingLogger() });
    expect(missing.ok).toBe(false);
  });
});
