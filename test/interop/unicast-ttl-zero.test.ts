// `unicast_ttl 0` against keepalived 2.2.7 on a real kernel, IPv4 and IPv6: keepalived sends its
// unicast adverts with TTL (hop limit) 0, and so does vrrpd. Linux delivers them to the peer on
// the link, so each daemon must hear the other: vrrpd, started second with the higher priority,
// first hears keepalived as BACKUP, then takes over, keepalived yields, and takes back over at
// once when vrrpd stops (its priority-0 advert went out with TTL 0 too).

import { describe, it } from 'vitest';
import { requireBuiltDist } from '../lab/dist.js';
import { requireRoot } from '../lab/root.js';
import { requireKeepalived } from './keepalived-available.js';
import { routerConfig, type Pairing } from './pairing.js';
import { RouterPair } from './router-pair.js';
import { keepalivedTakesBack, vrrpdTakesOver } from './takeover-steps.js';

const skip = requireRoot() ?? requireKeepalived();
const TEST_TIMEOUT_MS = 90_000;

describe.skipIf(skip !== undefined)('unicast_ttl 0 with keepalived', () => {
  for (const family of ['ipv4', 'ipv6'] as const) {
    it.concurrent(
      `${family}: vrrpd and keepalived hear each other's TTL-0 adverts`,
      async ({ expect }) => {
        requireBuiltDist(['src', 'test/lab', 'test/interop']);
        const pairing: Pairing = { r1: 'vrrpd', r2: 'keepalived', transport: 'unicast', auth: false, family };
        const pair = await RouterPair.create({
          pairing,
          priorities: { r1: 200, r2: 100 },
          config: (role, priority) => routerConfig(pairing, role, priority, { lines: ['unicast_ttl 0'] }),
        });
        try {
          const status = await vrrpdTakesOver(pair, expect);
          // It heard keepalived before taking over: adverts with TTL 0 were accepted.
          expect(status?.counters.advertsRx).toBeGreaterThan(0);
          await keepalivedTakesBack(pair, expect);
        } finally {
          await pair.teardown();
        }
      },
      TEST_TIMEOUT_MS,
    );
  }
});
