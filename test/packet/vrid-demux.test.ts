// Several instances on one VRID, interface and family (keepalived allows it where the adverts can
// be told apart): which one an advert is for (src/packet/vrid-demux.ts).

import { describe, expect, it } from 'vitest';
import { pickInstance, type DemuxCandidate } from '../../src/packet/vrid-demux.js';

type Named = DemuxCandidate & { name: string };

const UNICAST_A: Named = { name: 'A', unicastPeers: ['192.0.2.2'] };
const UNICAST_B: Named = { name: 'B', unicastPeers: ['192.0.2.3', '192.0.2.4'] };
const MULTICAST: Named = { name: 'M', multicastGroup: '224.0.0.18' };
const OTHER_GROUP: Named = { name: 'G', multicastGroup: '224.0.0.19' };
const pick = (list: Named[], source: string, destination: string) =>
  pickInstance(list, source, destination)?.name;

describe('pickInstance', () => {
  it('leaves a lone instance to judge every advert of its VRID', () => {
    expect(pick([UNICAST_A], '192.0.2.9', '192.0.2.1')).toBe('A');
    expect(pick([MULTICAST], '192.0.2.9', '224.0.0.18')).toBe('M');
    expect(pick([], '192.0.2.9', '224.0.0.18')).toBeUndefined();
  });

  it('gives a unicast advert to the instance that lists its source as a peer, none if no one does', () => {
    expect(pick([UNICAST_A, UNICAST_B], '192.0.2.2', '192.0.2.1')).toBe('A');
    expect(pick([UNICAST_A, UNICAST_B], '192.0.2.4', '192.0.2.1')).toBe('B');
    expect(pick([UNICAST_A, UNICAST_B], '192.0.2.9', '192.0.2.1')).toBeUndefined();
  });

  it('keeps unicast and multicast apart: separate VRID spaces, as in keepalived', () => {
    expect(pick([UNICAST_A, MULTICAST], '192.0.2.9', '224.0.0.18')).toBe('M');
    expect(pick([UNICAST_A, MULTICAST], '192.0.2.9', '192.0.2.1')).toBe('A');
    expect(pick([UNICAST_A, { ...MULTICAST, multicastGroup: 'ff02::12' }], 'fe80::2', 'ff02::12')).toBe('M');
  });

  it('tells multicast instances apart by group', () => {
    expect(pick([MULTICAST, OTHER_GROUP], '192.0.2.9', '224.0.0.19')).toBe('G');
    expect(pick([MULTICAST, OTHER_GROUP], '192.0.2.9', '224.0.0.20')).toBeUndefined();
  });

  it('with one peer listed by two sources, picks the instance bound to the destination', () => {
    const a = { ...UNICAST_A, localAddress: '192.0.2.1' };
    const b = { ...UNICAST_A, name: 'B', localAddress: '192.0.2.5' };
    expect(pick([a, b], '192.0.2.2', '192.0.2.5')).toBe('B');
  });
});
