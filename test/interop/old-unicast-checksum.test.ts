// old_unicast_checksum against keepalived 2.2.7 on a real kernel: VRRPv3 unicast over IPv4 where
// keepalived uses the checksum of its versions before 1.3.6 (the multicast group in the
// pseudo-header). vrrpd with the keyword speaks it from the start; vrrpd without it hears
// keepalived's adverts in that form and switches, as keepalived itself would. Either way one
// master, and no checksum complaint from either daemon once vrrpd speaks the old form.

import { describe, it } from 'vitest';
import { keepalivedConfig } from '../lab/daemons.js';
import { requireBuiltDist } from '../lab/dist.js';
import { requireRoot } from '../lab/root.js';
import { segmentAddressOf } from '../lab/topology.js';
import { requireKeepalived } from './keepalived-available.js';
import { peerOf } from './pairing.js';
import { RouterPair, type RouterRole } from './router-pair.js';
import { keepalivedTakesBack, vrrpdTakesOver } from './takeover-steps.js';

const skip = requireRoot() ?? requireKeepalived();
const TEST_TIMEOUT_MS = 90_000;

/** VRRPv3 unicast; `keyword`: the old_unicast_checksum line, or none. */
function config(role: RouterRole, priority: number, keyword: string | null): string {
  return keepalivedConfig([
    {
      priority,
      version: 3,
      unicastSrc: segmentAddressOf(role, 'ipv4'),
      unicastPeers: [segmentAddressOf(peerOf(role), 'ipv4')],
      ...(keyword ? { extra: [keyword] } : {}),
    },
  ]);
}

describe.skipIf(skip !== undefined)('old_unicast_checksum with keepalived', () => {
  for (const vrrpdKeyword of ['old_unicast_checksum', null]) {
    it.concurrent(
      `vrrpd r1 ${vrrpdKeyword ? 'with the keyword' : 'without it (detects)'}, keepalived r2 with it`,
      async ({ expect }) => {
        requireBuiltDist(['src', 'test/lab', 'test/interop']);
        const pair = await RouterPair.create({
          pairing: { r1: 'vrrpd', r2: 'keepalived', transport: 'unicast', auth: false },
          priorities: { r1: 200, r2: 100 },
          config: (role, priority) =>
            config(role, priority, role === 'r1' ? vrrpdKeyword : 'old_unicast_checksum'),
        });
        try {
          // keepalived first: vrrpd then hears its old-form adverts as BACKUP before it speaks.
          await vrrpdTakesOver(pair, expect);
          const switched = pair
            .daemon('r1')
            .records()
            .filter((r) => r.code === 'VRRPD_OLD_UNICAST_CHECKSUM');
          expect(switched).toHaveLength(vrrpdKeyword ? 0 : 1);
          // and back: r1 stops (priority 0 in the old form), keepalived takes over at once.
          await keepalivedTakesBack(pair, expect);
        } finally {
          await pair.teardown();
        }
      },
      TEST_TIMEOUT_MS,
    );
  }
});
