// static_* entries and track groups once the whole file is read (keepalived vrrp_parser.c,
// vrrp_ipaddress.c, vrrp_iproute.c, vrrp_iprule.c): a track_group that names no defined group is
// dropped from its line ("track_group X not found"), so is one on an entry without an interface
// (the group tracks the entry's interface), and a group's unknown members are dropped.

import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { ConfigDraft } from '../keywords/drafts.js';
import type { StaticEntriesModel, TrackGroupModel } from '../model/types.js';

export function finishStatics(
  draft: ConfigDraft,
  instanceNames: ReadonlySet<string>,
  sink: DiagnosticSink,
): { statics: StaticEntriesModel; trackGroups: TrackGroupModel[] } {
  const trackGroups: TrackGroupModel[] = draft.trackGroups.map((group) => {
    const instances: string[] = [];
    for (const word of group.members) {
      if (!instanceNames.has(word.text)) {
        sink.report(
          DiagnosticCodes.referenceDropped,
          word.source,
          `track_group ${group.name}: no vrrp_instance ${word.text}`,
          undefined,
          'dropped from the group, as keepalived drops it',
        );
      } else if (!instances.includes(word.text)) {
        instances.push(word.text);
      }
    }
    return { name: group.name, instances, source: group.source };
  });
  const known = new Set(trackGroups.map((g) => g.name));
  /** The group an entry keeps: null when it is unknown or the entry has no interface. */
  const keep = <T extends { trackGroup: string | null; source: { file: string; line: number } }>(
    entry: T,
    kind: string,
    hasInterface: boolean,
  ): T => {
    if (entry.trackGroup === null) return entry;
    if (!known.has(entry.trackGroup)) {
      sink.report(
        DiagnosticCodes.referenceDropped,
        entry.source,
        `${kind}: track_group ${entry.trackGroup} not found`,
        'define it: track_group NAME { group { VI_1 } }',
        'the entry is kept without it, as keepalived keeps it',
      );
      return { ...entry, trackGroup: null };
    }
    if (!hasInterface) {
      sink.report(
        DiagnosticCodes.conflictDropped,
        entry.source,
        `${kind} cannot have track_group ${entry.trackGroup} without an interface (it tracks the entry's interface)`,
        kind === 'static_rules' ? 'add iif or oif' : 'add dev <IF>',
        'the entry is kept without it, as keepalived keeps it',
      );
      return { ...entry, trackGroup: null };
    }
    return entry;
  };
  return {
    trackGroups,
    statics: {
      addresses: draft.statics.addresses.map((a) => keep(a, 'static_ipaddress', a.dev !== null)),
      routes: draft.statics.routes.map((r) => keep(r, 'static_routes', r.dev !== null)),
      rules: draft.statics.rules.map((r) => keep(r, 'static_rules', r.iif !== null || r.oif !== null)),
    },
  };
}
