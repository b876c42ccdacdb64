// Bounded capture of a script's stdout/stderr for the log record. A chatty or runaway script
// must not grow the daemon's memory or flood the journal: keep the first `limitBytes` bytes and
// count the rest so the log can say how much was dropped.

export const DEFAULT_OUTPUT_LIMIT_BYTES = 4096;

export class BoundedCapture {
  private readonly chunks: Buffer[] = [];
  private keptBytes = 0;
  private seenBytes = 0;

  constructor(private readonly limitBytes: number = DEFAULT_OUTPUT_LIMIT_BYTES) {}

  append(chunk: Buffer): void {
    this.seenBytes += chunk.length;
    const room = this.limitBytes - this.keptBytes;
    if (room <= 0) return;
    const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(kept);
    this.keptBytes += kept.length;
  }

  get totalBytes(): number {
    return this.seenBytes;
  }

  get truncated(): boolean {
    return this.seenBytes > this.keptBytes;
  }

  /** The kept bytes as UTF-8 (a multi-byte character cut at the limit becomes U+FFFD). */
  text(): string {
    return Buffer.concat(this.chunks, this.keptBytes).toString('utf8');
  }
}
