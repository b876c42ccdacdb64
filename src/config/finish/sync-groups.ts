// vrrp_sync_group members, resolved as keepalived resolves them once every instance is read
// (vrrp_sync.c, vrrp_sync_set_group): an unknown member or one already in another group is ignored,
// and a group left without members is removed — its instances then run on their own.

import type { ConfigWord } from '../language/block-tree.js';
import type { DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS, keepalivedReportsIf } from '../report/diagnostics.js';
import { didYouMean } from '../report/suggest.js';
import type { SyncGroupDraft } from '../keywords/drafts.js';
import type { InstanceModel, SyncGroupModel, TrackReference } from '../model/types.js';
import type { InitialState } from '../../vrrp/types.js';
import { OWNER_PRIORITY } from '../../vrrp/types.js';

export interface SyncGroupReferences {
  /** The group's track_script and track_file references that keepalived keeps. */
  scripts: TrackReference[];
  files: TrackReference[];
  processes: TrackReference[];
  bfds: TrackReference[];
}

export function finishSyncGroups(
  drafts: readonly SyncGroupDraft[],
  instanceNames: ReadonlySet<string>,
  references: ReadonlyMap<SyncGroupDraft, SyncGroupReferences>,
  sink: DiagnosticSink,
): SyncGroupModel[] {
  const groupOf = new Map<string, string>();
  const groups: SyncGroupModel[] = [];
  for (const draft of drafts) {
    const where = `vrrp_sync_group ${draft.name}`;
    if (draft.members.length === 0) {
      sink.report(
        DiagnosticCodes.missingDropped,
        draft.source,
        `${where} has no members (no group { … } block)`,
        'add: group { VI_1 VI_2 } with the vrrp_instance names',
        `the group is dropped and its instances run on their own, as keepalived does`,
      );
      continue;
    }
    const members: string[] = [];
    for (const word of draft.members) {
      if (!acceptMember(word, draft, where, instanceNames, groupOf, members, sink)) continue;
      members.push(word.text);
      groupOf.set(word.text, draft.name);
    }
    if (members.length === 0) {
      sink.report(
        DiagnosticCodes.missingDropped,
        draft.source,
        `${where} has no member that exists`,
        undefined,
        `the group is dropped, as keepalived drops it`,
      );
      continue;
    }
    if (members.length === 1) {
      sink.report(
        DiagnosticCodes.suspicious,
        draft.source,
        `${where} has only one member (${members[0]}); a sync group needs two or more to do anything`,
        undefined,
        KEEPALIVED_REPORTS,
      );
    }
    const kept = references.get(draft) ?? {
      scripts: draft.trackScripts,
      files: draft.trackFiles,
      processes: draft.trackProcesses,
      bfds: draft.trackBfds,
    };
    groups.push({
      name: draft.name,
      instances: members,
      trackInterfaces: draft.trackInterfaces,
      trackScripts: kept.scripts,
      trackFiles: kept.files,
      trackProcesses: kept.processes,
      trackBfds: kept.bfds,
      notify: draft.notify,
      smtpAlert: draft.smtpAlert,
      notifyPriorityChanges: draft.notifyPriorityChanges,
      trackingWeight: draft.trackingWeight,
      source: draft.source,
    });
  }
  return groups;
}

function acceptMember(
  word: ConfigWord,
  draft: SyncGroupDraft,
  where: string,
  instanceNames: ReadonlySet<string>,
  groupOf: ReadonlyMap<string, string>,
  membersSoFar: readonly string[],
  sink: DiagnosticSink,
): boolean {
  if (!instanceNames.has(word.text)) {
    sink.report(
      DiagnosticCodes.referenceDropped,
      word.source,
      `${where} names unknown vrrp_instance '${word.text}'`,
      didYouMean(word.text, instanceNames) ?? 'sync group members are vrrp_instance names',
      `ignored, as keepalived ignores it`,
    );
    return false;
  }
  if (membersSoFar.includes(word.text)) {
    // keepalived finds the instance already in a sync group (this one): "cannot exist in more than one".
    sink.report(
      DiagnosticCodes.suspicious,
      word.source,
      `${where} lists ${word.text} twice`,
      undefined,
      KEEPALIVED_REPORTS,
    );
    return false;
  }
  const otherGroup = groupOf.get(word.text);
  if (otherGroup !== undefined && otherGroup !== draft.name) {
    sink.report(
      DiagnosticCodes.conflictDropped,
      word.source,
      `vrrp_instance ${word.text} is already in vrrp_sync_group ${otherGroup}; an instance can be in one group only`,
      undefined,
      `ignored here, as keepalived ignores it`,
    );
    return false;
  }
  return true;
}

/** An instance's `state` and `priority` as written (null: not written), before either is derived. */
export interface WrittenStateAndPriority {
  state: InitialState | null;
  priority: number | null;
}

/**
 * The one case keepalived reports (vrrp_sync.c, vrrp_sync_set_group, which reads the states and
 * priorities as written): a member written `state BACKUP` right after members all written
 * `state MASTER` with `priority 255` ("some member(s) as address owner and some not").
 */
function keepalivedReportsMixedOwners(
  group: SyncGroupModel,
  written: ReadonlyMap<string, WrittenStateAndPriority>,
): boolean {
  let ownersSoFar: boolean | null = null;
  for (const name of group.instances) {
    const member = written.get(name);
    if (ownersSoFar === true && member?.state === 'BACKUP') return true;
    if (ownersSoFar === false) return false;
    ownersSoFar = member?.state === 'MASTER' && member.priority === OWNER_PRIORITY;
  }
  return false;
}

/**
 * keepalived starts a sync group's members as MASTER only if every member is an address owner
 * wanting MASTER; otherwise a member written `state MASTER` starts as BACKUP (vrrp.c,
 * vrrp_complete_init), silently but for one case (keepalivedReportsMixedOwners). vrrpd does the
 * same and says so.
 */
export function syncGroupInitialStates(
  instances: readonly InstanceModel[],
  groups: readonly SyncGroupModel[],
  sink: DiagnosticSink,
  written: ReadonlyMap<string, WrittenStateAndPriority> = new Map(),
): InstanceModel[] {
  const demoted = new Set<string>();
  for (const group of groups) {
    const members = instances.filter((i) => group.instances.includes(i.name));
    const wantsMaster = members.some((i) => i.state === 'MASTER');
    const allOwners = members.every((i) => i.state === 'MASTER' && i.priority === OWNER_PRIORITY);
    if (!wantsMaster || allOwners) continue;
    const reported = keepalivedReportsIf(keepalivedReportsMixedOwners(group, written));
    for (const member of members) {
      if (member.state !== 'MASTER') continue;
      demoted.add(member.name);
      sink.report(
        DiagnosticCodes.adjusted,
        member.source,
        `vrrp_instance ${member.name} starts as BACKUP although its state is MASTER: in vrrp_sync_group ${group.name} not every member is an address owner wanting MASTER, and keepalived then starts them all as BACKUP`,
        'write state BACKUP so the file says what runs; the group still elects its master',
        reported,
      );
    }
  }
  return instances.map((i) => (demoted.has(i.name) ? { ...i, state: 'BACKUP' } : i));
}
