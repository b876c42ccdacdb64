// The uplink state file as the manager uses it: loaded once at start, written (atomically, one
// write after another) whenever the policy asks. The policy's times are monotonic milliseconds of
// this process; the file holds wall-clock milliseconds, so flap memory still means the same
// instant after a restart.

import type { Clock } from '../../runtime/clock.js';
import { LOG } from '../../runtime/messages.js';
import { SerialQueue } from '../../runtime/serial-queue.js';
import type { PersistedUplinkState } from '../../uplink/types.js';
import type { UplinkReporter } from './reporting.js';
import { loadStateFile, writeStateFile } from './state-file.js';

function shifted(state: PersistedUplinkState, byMs: number): PersistedUplinkState {
  const flapping: Record<string, number> = {};
  for (const [id, at] of Object.entries(state.flapping)) flapping[id] = at + byMs;
  return { ...state, flapping };
}

export class StateStore {
  private readonly queue: SerialQueue;

  constructor(
    private readonly path: () => string,
    private readonly clock: Clock,
    private readonly reporter: UplinkReporter,
  ) {
    this.queue = new SerialQueue((_label, message) =>
      reporter.say(LOG.uplinkStateWrite, { stateFile: this.path(), error: message }),
    );
  }

  /** What the previous run left, in this process's clock; null when absent or unusable (logged). */
  async load(): Promise<PersistedUplinkState | null> {
    const path = this.path();
    const loaded = await loadStateFile(path);
    if (loaded.kind === 'unusable') {
      this.reporter.say(LOG.uplinkStateIgnored, { stateFile: path, reason: loaded.reason });
    }
    if (loaded.kind !== 'loaded') return null;
    return shifted(loaded.state, this.clock.now() - this.clock.wallNow());
  }

  save(snapshot: PersistedUplinkState): void {
    const path = this.path();
    this.queue.push('state file', async () => {
      const wallNow = this.clock.wallNow();
      await writeStateFile(path, shifted(snapshot, wallNow - this.clock.now()), wallNow);
    });
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }
}
