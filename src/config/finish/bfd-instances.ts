// bfd_instance blocks once read: keepalived's BFD end-of-block checks (bfd_parser.c,
// bfd_end_handler) and its VRRP process's view of the same blocks. The BFD process drops an
// instance without a neighbour, with a source of the other family, or with the neighbour (and
// source) of an earlier one; the VRRP process, which reads none of those keywords, still tracks
// the name — so a track_bfd naming a dropped instance stays down. vrrpd models both sides.

import type { BfdInstanceDraft } from '../keywords/drafts.js';
import type { BfdInstanceModel } from '../model/types.js';
import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import { canonicalAddress } from '../../packet/ip-address.js';

/** keepalived's defaults: TTL 255 for IPv4 (RFC 5881 §5), hop limit 64 for IPv6. */
const DEFAULT_TTL = { ipv4: 255, ipv6: 64 } as const;

const NOT_RUN = 'no session runs, as keepalived disables it; a track_bfd naming it stays down';

export function finishBfdInstances(
  drafts: readonly BfdInstanceDraft[],
  sink: DiagnosticSink,
): Array<{ model: BfdInstanceModel; order: number }> {
  const running: BfdInstanceModel[] = [];
  return drafts.map((draft) => {
    const model = finishOne(draft, running, sink);
    if (model.neighbor !== null) running.push(model);
    return { model, order: draft.order };
  });
}

function finishOne(
  draft: BfdInstanceDraft,
  running: readonly BfdInstanceModel[],
  sink: DiagnosticSink,
): BfdInstanceModel {
  const where = `bfd_instance ${draft.name}`;
  const family = draft.neighbor?.family ?? 'ipv4';
  const ttl = draft.ttl === 0 ? DEFAULT_TTL[family] : draft.ttl;
  let maxHops = draft.maxHops;
  if (maxHops > ttl) {
    sink.report(
      DiagnosticCodes.adjusted,
      draft.source,
      `${where}: max_hops ${maxHops} exceeds ttl/hoplimit ${ttl}: ${ttl} is used, as keepalived sets it`,
      undefined,
      KEEPALIVED_REPORTS,
    );
    maxHops = ttl;
  }
  const model: BfdInstanceModel = {
    name: draft.name,
    neighbor: null,
    sourceAddress: draft.sourceIp ? canonicalAddress(draft.sourceIp.address) : null,
    minRxUs: draft.minRxUs,
    minTxUs: draft.minTxUs,
    idleTxUs: draft.idleTxUs,
    multiplier: draft.multiplier,
    passive: draft.passive,
    ttl,
    maxHops,
    weight: draft.weight,
    weightReverse: draft.weightReverse,
    vrrp: draft.forVrrp || !draft.forChecker,
    source: draft.source,
  };
  // A malformed neighbour was reported where it was read.
  if (draft.broken) return model;
  if (!draft.neighbor) {
    sink.report(
      DiagnosticCodes.missingDropped,
      draft.source,
      `${where} has no neighbor address set`,
      'add: neighbor_ip <IP>',
      NOT_RUN,
    );
    return model;
  }
  const neighbor = canonicalAddress(draft.neighbor.address);
  if (draft.sourceIp && draft.sourceIp.family !== draft.neighbor.family) {
    sink.report(
      DiagnosticCodes.conflictDropped,
      draft.sourceIp.source,
      `${where}: source address ${draft.sourceIp.address} and neighbor address ${draft.neighbor.address} are not of the same family`,
      undefined,
      NOT_RUN,
    );
    return model;
  }
  // keepalived's find_bfd_by_addr: the same neighbour, and a source missing on either or equal.
  const twin = running.find(
    (other) =>
      other.neighbor === neighbor &&
      (other.sourceAddress === null ||
        model.sourceAddress === null ||
        other.sourceAddress === model.sourceAddress),
  );
  if (twin) {
    sink.report(
      DiagnosticCodes.conflictDropped,
      draft.neighbor.source,
      `${where} has the same ${model.sourceAddress ? 'source/neighbor addresses' : 'neighbor address'} as bfd_instance ${twin.name}`,
      'one session per neighbour (and source)',
      NOT_RUN,
    );
    return model;
  }
  return { ...model, neighbor };
}
