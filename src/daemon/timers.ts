// The real clock behind the pure core's armTimer/cancelTimer actions: one Node timer per
// (instance, timer name). Expiries are delivered with the generation they were armed with; the
// core ignores stale ones, so a late callback racing a re-arm is harmless.

import type { TimerName } from '../vrrp/index.js';

export type TimerExpiry = (instance: string, timer: TimerName, generation: number) => void;

export class InstanceTimers {
  private readonly handles = new Map<string, NodeJS.Timeout>();

  constructor(private readonly onExpiry: TimerExpiry) {}

  arm(instance: string, timer: TimerName, delayMs: number, generation: number): void {
    this.cancel(instance, timer);
    const key = `${instance}\0${timer}`;
    const handle = setTimeout(
      () => {
        this.handles.delete(key);
        this.onExpiry(instance, timer, generation);
      },
      Math.max(0, delayMs),
    );
    this.handles.set(key, handle);
  }

  cancel(instance: string, timer: TimerName): void {
    const key = `${instance}\0${timer}`;
    const handle = this.handles.get(key);
    if (handle) clearTimeout(handle);
    this.handles.delete(key);
  }

  cancelInstance(instance: string): void {
    for (const [key, handle] of this.handles) {
      if (key.startsWith(`${instance}\0`)) {
        clearTimeout(handle);
        this.handles.delete(key);
      }
    }
  }

  cancelAll(): void {
    for (const handle of this.handles.values()) clearTimeout(handle);
    this.handles.clear();
  }

  size(): number {
    return this.handles.size;
  }
}
