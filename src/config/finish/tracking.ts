// What keepalived does to an instance's own trackers once it knows the sync groups (vrrp.c,
// vrrp_complete_instance and sync_group_tracking_init), checked with `keepalived -d`:
//   - tracking the instance's own interface is dropped (its state is followed anyway);
//   - in a sync group without sync_group_tracking_weight, or as the address owner, weights are
//     not used: a weighted track_interface becomes weight 0 (FAULT when down) in a group and is
//     dropped for an owner, a weighted track_script is dropped, a track_file with the default
//     weight 1 becomes weight 0 and one with another weight is dropped, a weighted track_bfd is
//     dropped;
//   - the group's own trackers keep their weights on every member, except that a group with an
//     address owner among its members has them at 0.
// keepalived reports every one of these changes (report_config_error), so `-t` exits 5 for them.
// The daemon applies the model's trackers as they are; these rules are all here.

import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import { OWNER_PRIORITY } from '../../vrrp/types.js';
import type {
  BfdInstanceModel,
  InstanceModel,
  ProcessTrackModel,
  SyncGroupModel,
  TrackFileModel,
  TrackReference,
  VrrpScriptModel,
} from '../model/types.js';

/** The tracked objects, whose own weights apply where a reference gives none. */
export interface TrackedDefinitions {
  scripts: readonly VrrpScriptModel[];
  files: readonly TrackFileModel[];
  processTracks: readonly ProcessTrackModel[];
  bfdInstances: readonly BfdInstanceModel[];
}

export function applyKeepalivedTracking(
  instances: readonly InstanceModel[],
  groups: readonly SyncGroupModel[],
  { scripts, files, processTracks, bfdInstances }: TrackedDefinitions,
  sink: DiagnosticSink,
): { instances: InstanceModel[]; groups: SyncGroupModel[] } {
  const groupOf = new Map(groups.flatMap((g) => g.instances.map((name) => [name, g] as const)));
  const scriptWeight = (r: TrackReference): number =>
    r.weight ?? scripts.find((s) => s.name === r.name)?.weight ?? 0;
  const fileWeight = (r: TrackReference): number =>
    r.weight ?? files.find((f) => f.name === r.name)?.weight ?? 1;
  const processWeight = (r: TrackReference): number =>
    r.weight ?? processTracks.find((p) => p.name === r.name)?.weight ?? 0;
  const bfdWeight = (r: TrackReference): number =>
    r.weight ?? bfdInstances.find((b) => b.name === r.name)?.weight ?? 0;
  const finished = instances.map((instance) => {
    const where = `vrrp_instance ${instance.name}`;
    const group = groupOf.get(instance.name);
    const owner = instance.priority === OWNER_PRIORITY;
    const unweighted = owner || (group !== undefined && !group.trackingWeight);
    const because = owner
      ? 'it is the address owner (priority 255)'
      : `it is in vrrp_sync_group ${group?.name}`;
    const adjusted = (at: TrackReference['source'], message: string): void =>
      sink.report(
        DiagnosticCodes.adjusted,
        at,
        `${message} in ${where}: ${because}, as keepalived decides`,
        unweightedHint(owner),
        KEEPALIVED_REPORTS,
      );
    const trackInterfaces = instance.trackInterfaces.flatMap((t) => {
      if (t.name === instance.interface) {
        sink.report(
          DiagnosticCodes.adjusted,
          t.source,
          `track_interface ${t.name} is ${where}'s own interface, whose state it follows anyway: ignored, as keepalived ignores it`,
          undefined,
          KEEPALIVED_REPORTS,
        );
        return [];
      }
      if (!unweighted || t.weight === 0) return [t];
      if (owner) {
        adjusted(t.source, `track_interface ${t.name} with weight ${t.weight} is not tracked`);
        return [];
      }
      adjusted(t.source, `track_interface ${t.name} has weight 0 (FAULT when down) instead of ${t.weight}`);
      return [{ ...t, weight: 0 }];
    });
    const trackScripts = instance.trackScripts.filter((t) => {
      if (!unweighted || scriptWeight(t) === 0) return true;
      adjusted(t.source, `track_script ${t.name} with weight ${scriptWeight(t)} is not tracked`);
      return false;
    });
    const trackFiles = instance.trackFiles.flatMap((t) => {
      const weight = fileWeight(t);
      if (!unweighted || weight === 0) return [t];
      if (weight === 1) {
        adjusted(
          t.source,
          `track_file ${t.name} has weight 0 (any value but 0 means FAULT) instead of the default 1`,
        );
        return [{ ...t, weight: 0 }];
      }
      adjusted(t.source, `track_file ${t.name} with weight ${weight} is not tracked`);
      return [];
    });
    const trackBfds = instance.trackBfds.filter((t) => {
      if (!unweighted || bfdWeight(t) === 0) return true;
      adjusted(t.source, `track_bfd ${t.name} with weight ${bfdWeight(t)} is not tracked`);
      return false;
    });
    return { ...instance, trackInterfaces, trackScripts, trackFiles, trackBfds };
  });
  const finishedGroups = groups.map((group) => {
    const ownerMember = finished.find(
      (i) => group.instances.includes(i.name) && i.priority === OWNER_PRIORITY,
    );
    if (!ownerMember) return group;
    const zero = <T extends { weight: number | null; name: string; source: TrackReference['source'] }>(
      t: T,
      weight: number,
      keyword: string,
    ): T => {
      if (weight === 0) return t;
      sink.report(
        DiagnosticCodes.adjusted,
        t.source,
        `${keyword} ${t.name} of vrrp_sync_group ${group.name} has weight 0 instead of ${weight}: member ${ownerMember.name} is the address owner, as keepalived decides`,
        undefined,
        KEEPALIVED_REPORTS,
      );
      return { ...t, weight: 0 };
    };
    return {
      ...group,
      trackInterfaces: group.trackInterfaces.map((t) => zero(t, t.weight, 'track_interface')),
      trackScripts: group.trackScripts.map((t) => zero(t, scriptWeight(t), 'track_script')),
      trackFiles: group.trackFiles.map((t) => zero(t, fileWeight(t), 'track_file')),
      trackProcesses: group.trackProcesses.map((t) => zero(t, processWeight(t), 'track_process')),
      trackBfds: group.trackBfds.map((t) => zero(t, bfdWeight(t), 'track_bfd')),
    };
  });
  return { instances: finished, groups: finishedGroups };
}

function unweightedHint(owner: boolean): string {
  return owner
    ? 'an address owner does not lower its priority; track with weight 0 (FAULT) if that is meant'
    : 'set sync_group_tracking_weight in the group to keep the weights, or track the object in the group';
}
