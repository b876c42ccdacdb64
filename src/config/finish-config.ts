// Whole-configuration checks, once every block is read: unique names, one VRID per interface and
// family, and every name that refers to something (sync group members, track_script, track_file)
// finding it. keepalived logs most of these and carries on with the reference dropped; vrrpd refuses.

import { familyLabel } from './address.js';
import type { ConfigWord } from './block-tree.js';
import type { DiagnosticSink, SourceRef } from './diagnostics.js';
import { DiagnosticCodes } from './diagnostics.js';
import type { ConfigDraft, ScriptDraft, SyncGroupDraft, TrackFileDraft } from './drafts.js';
import { finishInstance } from './finish-instance.js';
import { checkUplinkGroupReferences } from './netgwm/uplink-group.js';
import type {
  InstanceModel,
  SyncGroupModel,
  TrackFileModel,
  TrackReference,
  UplinkGroupDecl,
  VrrpdConfig,
  VrrpScriptModel,
} from './model.js';
import { didYouMean } from './suggest.js';

export function finishConfig(draft: ConfigDraft, sink: DiagnosticSink): VrrpdConfig {
  const scripts = uniqueByName(draft.scripts, 'vrrp_script', sink)
    .map((script) => finishScript(script, sink))
    .filter((s): s is VrrpScriptModel => s !== null);
  const trackFiles = uniqueByName(draft.trackFiles, 'track_file', sink)
    .map((file) => finishTrackFile(file, sink))
    .filter((f): f is TrackFileModel => f !== null);
  const instances = uniqueByName(draft.instances, 'vrrp_instance', sink)
    .map((instance) => finishInstance(instance, draft.globals, sink))
    .filter((i): i is InstanceModel => i !== null);
  checkVridsPerInterface(instances, sink);
  const instanceNames = new Set(draft.instances.map((i) => i.name));
  const syncGroups = finishSyncGroups(
    uniqueByName(draft.syncGroups, 'vrrp_sync_group', sink),
    instanceNames,
    sink,
  );

  const scriptOrder = new Map(draft.scripts.map((s) => [s.name, s.order]));
  const trackFileOrder = new Map(draft.trackFiles.map((f) => [f.name, f.order]));
  const trackers = [
    ...draft.instances.map((i) => ({
      where: `vrrp_instance ${i.name}`,
      order: i.order,
      scripts: i.trackScripts,
      files: i.trackFiles,
    })),
    ...draft.syncGroups.map((g) => ({
      where: `vrrp_sync_group ${g.name}`,
      order: g.order,
      scripts: g.trackScripts,
      files: g.trackFiles,
    })),
  ];
  for (const tracker of trackers) {
    checkReferences(tracker.scripts, scriptOrder, 'track_script', 'vrrp_script', tracker, sink);
    checkReferences(tracker.files, trackFileOrder, 'track_file', 'track_file', tracker, sink);
  }
  const trackedScripts = new Set(trackers.flatMap((t) => t.scripts.map((s) => s.name)));
  for (const script of scripts) {
    if (!trackedScripts.has(script.name)) {
      sink.report(
        DiagnosticCodes.suspicious,
        script.source,
        `vrrp_script ${script.name} is not tracked by any instance or sync group, so it never runs`,
        `add it to a track_script { ${script.name} } block`,
      );
    }
  }
  checkUplinkGroupReferences(
    draft.uplinkGroups,
    { instances: [...instanceNames], syncGroups: draft.syncGroups.map((g) => g.name) },
    sink,
  );
  const uplinkGroups = firstOfEachName(draft.uplinkGroups);
  return { globals: draft.globals, instances, syncGroups, scripts, trackFiles, uplinkGroups };
}

/** checkUplinkGroupReferences reports the duplicates; the model keeps the first of each name. */
function firstOfEachName(groups: readonly UplinkGroupDecl[]): UplinkGroupDecl[] {
  const byName = new Map<string, UplinkGroupDecl>();
  for (const group of groups) if (!byName.has(group.name)) byName.set(group.name, group);
  return [...byName.values()];
}

/** Keeps the first of each name; later ones are errors (keepalived: "already defined", block skipped). */
function uniqueByName<T extends { name: string; source: SourceRef }>(
  items: readonly T[],
  kind: string,
  sink: DiagnosticSink,
): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const first = seen.get(item.name);
    if (first) {
      sink.report(
        DiagnosticCodes.conflict,
        item.source,
        `${kind} ${item.name} is defined twice (first at ${describe(first.source, item.source)})`,
        'rename one of them',
      );
      continue;
    }
    seen.set(item.name, item);
  }
  return [...seen.values()];
}

function describe(at: SourceRef, from: SourceRef): string {
  return at.file === from.file ? `line ${at.line}` : `${at.file}:${at.line}`;
}

function finishScript(draft: ScriptDraft, sink: DiagnosticSink): VrrpScriptModel | null {
  if (!draft.script) {
    if (draft.written.has('script')) return null;
    sink.report(
      DiagnosticCodes.missing,
      draft.source,
      `vrrp_script ${draft.name} has no 'script'`,
      'add: script "/path/to/check arguments"',
    );
    return null;
  }
  const script = { ...draft.script };
  if (draft.user) {
    script.user = draft.user.user;
    if (draft.user.group !== null) script.group = draft.user.group;
  }
  return {
    name: draft.name,
    script,
    intervalMs: draft.intervalMs,
    timeoutMs: draft.timeoutMs ?? draft.intervalMs,
    weight: draft.weight,
    weightReverse: draft.weightReverse,
    rise: draft.rise,
    fall: draft.fall,
    initFail: draft.initFail,
    source: draft.source,
  };
}

function finishTrackFile(draft: TrackFileDraft, sink: DiagnosticSink): TrackFileModel | null {
  if (!draft.path) {
    if (draft.written.has('file')) return null;
    sink.report(
      DiagnosticCodes.missing,
      draft.source,
      `track_file ${draft.name} has no 'file'`,
      'add: file /path/to/file',
    );
    return null;
  }
  return {
    name: draft.name,
    path: draft.path,
    weight: draft.weight,
    weightReverse: draft.weightReverse,
    init: draft.init,
    source: draft.source,
  };
}

/**
 * Adverts are demultiplexed by (interface, family, VRID): two instances sharing all three would read
 * each other's adverts. keepalived tolerates it with disjoint unicast peers; vrrpd does not.
 */
function checkVridsPerInterface(instances: readonly InstanceModel[], sink: DiagnosticSink): void {
  const owners = new Map<string, InstanceModel>();
  for (const instance of instances) {
    const key = `${instance.interface}/${instance.family}/${instance.vrid}`;
    const owner = owners.get(key);
    if (owner) {
      sink.report(
        DiagnosticCodes.conflict,
        instance.source,
        `virtual_router_id ${instance.vrid} is already used on ${instance.interface} (${familyLabel(instance.family)}) by vrrp_instance ${owner.name} (${describe(owner.source, instance.source)})`,
        'give each virtual router on an interface its own virtual_router_id',
      );
      continue;
    }
    owners.set(key, instance);
  }
}

function finishSyncGroups(
  drafts: readonly SyncGroupDraft[],
  instanceNames: ReadonlySet<string>,
  sink: DiagnosticSink,
): SyncGroupModel[] {
  const groupOf = new Map<string, string>();
  const groups: SyncGroupModel[] = [];
  for (const draft of drafts) {
    const where = `vrrp_sync_group ${draft.name}`;
    if (draft.members.length === 0) {
      sink.report(
        DiagnosticCodes.missing,
        draft.source,
        `${where} has no members`,
        'add: group { VI_1 VI_2 } with the vrrp_instance names',
      );
      continue;
    }
    const members: string[] = [];
    for (const word of draft.members) {
      if (!checkMember(word, draft, where, instanceNames, groupOf, members, sink)) continue;
      members.push(word.text);
      groupOf.set(word.text, draft.name);
    }
    if (members.length === 1) {
      sink.report(
        DiagnosticCodes.suspicious,
        draft.source,
        `${where} has only one member (${members[0]}); a sync group needs two or more to do anything`,
      );
    }
    groups.push({
      name: draft.name,
      instances: members,
      trackInterfaces: draft.trackInterfaces,
      trackScripts: draft.trackScripts,
      trackFiles: draft.trackFiles,
      notify: draft.notify,
      smtpAlert: draft.smtpAlert,
      trackingWeight: draft.trackingWeight,
      source: draft.source,
    });
  }
  return groups;
}

function checkMember(
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
      DiagnosticCodes.reference,
      word.source,
      `${where} names unknown vrrp_instance '${word.text}'`,
      didYouMean(word.text, instanceNames) ?? 'sync group members are vrrp_instance names',
    );
    return false;
  }
  if (membersSoFar.includes(word.text)) {
    sink.report(DiagnosticCodes.suspicious, word.source, `${where} lists ${word.text} twice`);
    return false;
  }
  const otherGroup = groupOf.get(word.text);
  if (otherGroup !== undefined && otherGroup !== draft.name) {
    sink.report(
      DiagnosticCodes.conflict,
      word.source,
      `vrrp_instance ${word.text} is already in vrrp_sync_group ${otherGroup}; an instance can be in one group only`,
    );
    return false;
  }
  return true;
}

function checkReferences(
  references: readonly TrackReference[],
  defined: ReadonlyMap<string, number>,
  keyword: string,
  kind: string,
  tracker: { where: string; order: number },
  sink: DiagnosticSink,
): void {
  for (const reference of references) {
    const order = defined.get(reference.name);
    if (order === undefined) {
      sink.report(
        DiagnosticCodes.reference,
        reference.source,
        `${keyword} '${reference.name}' in ${tracker.where} names no ${kind}`,
        didYouMean(reference.name, defined.keys()) ?? `define it with ${kind} ${reference.name} { … }`,
      );
    } else if (order > tracker.order) {
      // keepalived resolves the name while reading the tracker, so it would not track this.
      sink.report(
        DiagnosticCodes.suspicious,
        reference.source,
        `${kind} ${reference.name} is defined after ${tracker.where}, which tracks it; keepalived would not track it`,
        `move ${kind} ${reference.name} above ${tracker.where} so keepalived and vrrpd agree`,
      );
    }
  }
}
