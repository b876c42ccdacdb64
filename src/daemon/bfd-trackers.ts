// bfd_instance sessions as trackers: the daemon's BFD shell (bfd-service.ts) built from each
// configuration, its state changes logged and handed on, and the view track_bfd and the status
// read. keepalived runs BFD in a separate process and tells the VRRP process Up or Down; here
// the sessions run in the daemon's own event loop.

import { BFD_STATE_NAMES, BfdState, bfdDiagName, type BfdStateCode } from '../bfd/packet.js';
import type { BfdSession } from '../bfd/session.js';
import type { VrrpdConfig } from '../config/model/types.js';
import type { Clock } from '../runtime/clock.js';
import { errorMessage } from '../runtime/errors.js';
import type { Logger } from '../runtime/log.js';
import { LOG, say } from '../runtime/messages.js';
import type { Timers } from '../runtime/timers.js';
import { BfdService, type BfdPeerConfig } from './bfd-service.js';

export interface BfdTrackerView {
  name: string;
  /** keepalived's bfd_up: only the Up state counts. */
  up: boolean;
  state: string;
}

/** The sessions to run: every bfd_instance keepalived's BFD process keeps. */
export function bfdPeerConfigs(config: VrrpdConfig): BfdPeerConfig[] {
  return config.bfdInstances.flatMap((b) =>
    b.neighbor === null
      ? []
      : [
          {
            name: b.name,
            neighborAddress: b.neighbor,
            sourceAddress: b.sourceAddress,
            ttl: b.ttl,
            maxHops: b.maxHops,
            session: {
              desiredMinTxUs: b.minTxUs,
              requiredMinRxUs: b.minRxUs,
              idleTxUs: b.idleTxUs,
              detectMult: b.multiplier,
              passive: b.passive,
            },
          },
        ],
  );
}

/**
 * The daemon's BFD sessions, across reloads: configure() with each new configuration keeps the
 * sessions configured as before (their state with them, as keepalived keeps bfd_up), starts new
 * or changed ones Down and stops the others.
 */
export class BfdTrackers {
  private service: BfdService | null = null;
  private config: VrrpdConfig | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly runtime: { timers: Timers; clock: Clock },
    private readonly onChange: (change: { kind: 'bfd'; state: BfdTrackerView }) => void,
  ) {}

  async configure(config: VrrpdConfig): Promise<void> {
    this.config = config;
    const peers = bfdPeerConfigs(config);
    if (!this.service && peers.length === 0) return;
    this.service ??= new BfdService({
      timers: this.runtime.timers,
      clock: this.runtime.clock,
      random: Math.random,
      onChange: (name, change, session) => {
        say(this.logger, LOG.bfdState, {
          bfd: name,
          from: BFD_STATE_NAMES[change.from],
          to: BFD_STATE_NAMES[change.to],
          diag: bfdDiagName(change.diag),
        });
        // Only a change into or out of Up changes what a tracker sees.
        if (change.from === BfdState.up || change.to === BfdState.up)
          this.onChange({ kind: 'bfd', state: view(name, session) });
      },
      onError: (name, error) => say(this.logger, LOG.bfdSocketError, { bfd: name, err: errorMessage(error) }),
    });
    try {
      await this.service.reconfigure(peers);
    } catch (error) {
      this.stop();
      say(this.logger, LOG.bfdUnavailable, { err: errorMessage(error) });
    }
  }

  views(): BfdTrackerView[] {
    const sessions = this.service?.sessions();
    return (this.config?.bfdInstances ?? []).map((b) => {
      const session = sessions?.get(b.name);
      return session ? view(b.name, session) : { name: b.name, up: false, state: 'none' };
    });
  }

  up(name: string): boolean {
    const session = this.service?.sessions().get(name);
    return session?.state === BfdState.up;
  }

  stop(): void {
    this.service?.stop();
    this.service = null;
  }
}

function view(name: string, session: BfdSession): BfdTrackerView {
  const state: BfdStateCode = session.state;
  return { name, up: state === BfdState.up, state: BFD_STATE_NAMES[state] };
}
