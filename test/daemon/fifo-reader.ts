// Reads what a daemon under test wrote to its notify FIFO (opened read-write by the daemon, so a
// non-blocking read returns what is buffered and never waits for EOF).
import { closeSync, constants, openSync, readSync } from 'node:fs';

export function fifoLines(path: string): string[] {
  const reader = openFifoReader(path);
  try {
    return reader.lines();
  } finally {
    reader.close();
  }
}

/** A reader kept open (lines written before a reload replaces the FIFO stay readable through it). */
export function openFifoReader(path: string): { lines(): string[]; close(): void } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return { lines: () => readAll(fd), close: () => closeSync(fd) };
}

function readAll(fd: number): string[] {
  const buffer = Buffer.alloc(65536);
  let text = '';
  for (let i = 0; i < 16; i++) {
    let n = 0;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch {
      break;
    }
    if (n <= 0) break;
    text += buffer.subarray(0, n).toString();
  }
  return text.split('\n').filter((l) => l.length > 0);
}
