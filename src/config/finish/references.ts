// track_script and track_file references. keepalived resolves each name while it reads the
// tracker's block (vrrp_track.c: "track script X not found, ignoring..."), so a reference to
// nothing, to a vrrp_script defined further down, or to one it removed (no `script`) is dropped,
// and a second reference to the same one is ignored. vrrpd drops the same references, saying why.

import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import { didYouMean } from '../report/suggest.js';
import type { TrackReference } from '../model/types.js';

/** Where a tracked object is defined: its position among the top-level blocks. */
export type DefinitionOrder = ReadonlyMap<string, number>;

export interface Tracker {
  /** `vrrp_instance VI_1` or `vrrp_sync_group G`. */
  where: string;
  order: number;
}

const DEFINED_BY = {
  track_script: 'vrrp_script',
  track_file: 'track_file',
  track_process: 'vrrp_track_process',
  track_bfd: 'bfd_instance',
} as const;

/** The references keepalived keeps, in order; the others are reported. */
export function resolveReferences(
  references: readonly TrackReference[],
  defined: DefinitionOrder,
  keyword: 'track_script' | 'track_file' | 'track_process' | 'track_bfd',
  tracker: Tracker,
  sink: DiagnosticSink,
): TrackReference[] {
  const kind = DEFINED_BY[keyword];
  const kept: TrackReference[] = [];
  for (const reference of references) {
    const order = defined.get(reference.name);
    if (order === undefined) {
      sink.report(
        DiagnosticCodes.referenceDropped,
        reference.source,
        `${keyword} '${reference.name}' in ${tracker.where} names no ${kind}`,
        didYouMean(reference.name, defined.keys()) ??
          `define it with ${kind} ${reference.name} { … } above ${tracker.where}`,
        `not tracked, as keepalived does not track it`,
      );
    } else if (order > tracker.order) {
      sink.report(
        DiagnosticCodes.referenceDropped,
        reference.source,
        `${kind} ${reference.name} is defined after ${tracker.where}, which tracks it`,
        `move ${kind} ${reference.name} above ${tracker.where}`,
        `not tracked, as keepalived does not track it (it resolves the name while reading ${tracker.where})`,
      );
    } else if (kept.some((k) => k.name === reference.name)) {
      sink.report(
        DiagnosticCodes.referenceDropped,
        reference.source,
        `${keyword} '${reference.name}' is listed twice in ${tracker.where}`,
        undefined,
        `the second is ignored, as keepalived ignores it`,
      );
    } else {
      kept.push(reference);
    }
  }
  return kept;
}
