// Splitting a byte stream into newline-terminated lines with a size cap, so a peer that never sends a
// newline cannot make us buffer without bound.

const NEWLINE = 0x0a;

export class LineBuffer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflow = false;

  /** @param maxLineBytes longest accepted line, newline excluded. */
  constructor(private readonly maxLineBytes: number) {}

  /** True once a line (complete or not) went past the cap; nothing more is buffered after that. */
  get overflowed(): boolean {
    return this.overflow;
  }

  /** Feeds bytes; returns the lines completed by them (UTF-8, without `\n` or a trailing `\r`). */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    while (!this.overflow && start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (this.pendingBytes + (end - start) > this.maxLineBytes) {
        this.overflow = true;
        this.pending = [];
        this.pendingBytes = 0;
        break;
      }
      this.pending.push(chunk.subarray(start, end));
      this.pendingBytes += end - start;
      if (newline === -1) break;
      const line = Buffer.concat(this.pending).toString('utf8');
      lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
      this.pending = [];
      this.pendingBytes = 0;
      start = newline + 1;
    }
    return lines;
  }
}
