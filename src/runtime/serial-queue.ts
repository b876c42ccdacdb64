// The shell's one serial work queue: asynchronous work (kernel updates, route switches, state
// files) that must run one piece after another, in the order it was queued, and must never
// reject into the event loop. A failure is reported to `onError` with the work's label and the
// queue goes on with the next piece.

import { errorMessage } from './errors.js';

export type QueueErrorHandler = (label: string, message: string, error: unknown) => void;

export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly onError: QueueErrorHandler) {}

  /** Queues `work`; it starts when everything queued before it has finished. */
  push(label: string, work: () => Promise<void> | void): void {
    this.pending++;
    this.tail = this.tail
      .then(work)
      .catch((error: unknown) => this.onError(label, errorMessage(error), error))
      .finally(() => {
        this.pending--;
      });
  }

  /** Resolves when everything queued so far has finished (never rejects). */
  idle(): Promise<void> {
    return this.tail;
  }

  /** Pieces queued and not yet finished. */
  size(): number {
    return this.pending;
  }
}
