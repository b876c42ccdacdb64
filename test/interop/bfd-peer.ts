// A child that runs vrrpd's BFD shell (src/daemon/bfd-service.ts) inside a lab namespace, driven
// over JSON lines: `start` opens one session, every state change is an event. bfd.test.ts points
// keepalived's BFD at it.

import { BfdService, type BfdPeerConfig } from '../../src/daemon/bfd-service.js';
import { systemClock } from '../../src/runtime/clock.js';
import { systemTimers } from '../../src/runtime/timers.js';
import { emitEvent, serveJsonLines } from '../lab/json-lines-server.js';

let service: BfdService | null = null;

serveJsonLines(
  {
    async start(params) {
      service = new BfdService({
        timers: systemTimers,
        clock: systemClock,
        random: Math.random,
        onChange: (name, change, session) =>
          emitEvent('bfd-state', { name, ...change, remoteDiscriminator: session.remoteDiscriminator }),
        onError: (name, error) => emitEvent('bfd-error', { name, message: String(error) }),
      });
      await service.start([params.peer as BfdPeerConfig]);
      return null;
    },
  },
  () => {
    service?.stop();
    process.exit(0);
  },
);
emitEvent('ready');
