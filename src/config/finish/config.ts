// Whole-configuration checks, once every block is read: unique names, one VRID per interface and
// family, and every name that refers to something (sync group members, track_script, track_file)
// finding it. keepalived reports most of these and carries on with the duplicate or the reference
// dropped; vrrpd drops the same ones and says so (a duplicate VRID, which keepalived refuses to
// run, stays an error).

import { familyLabel } from '../values/address.js';
import { canonicalAddress } from '../../packet/ip-address.js';
import type { DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type {
  ConfigDraft,
  InstanceDraft,
  ProcessTrackDraft,
  ScriptDraft,
  SyncGroupDraft,
  TrackFileDraft,
} from '../keywords/drafts.js';
import { finishBfdInstances } from './bfd-instances.js';
import { finishInstance } from './instance.js';
import { resolveReferences, type DefinitionOrder } from './references.js';
import { finishSyncGroups, syncGroupInitialStates, type SyncGroupReferences } from './sync-groups.js';
import { assignRulePriorities } from './rules.js';
import { finishStatics } from './static-entries.js';
import { applyKeepalivedTracking } from './tracking.js';
import { checkUplinkGroupReferences } from '../netgwm/uplink-group.js';
import type {
  GlobalDefs,
  InstanceModel,
  ProcessTrackModel,
  TrackFileModel,
  UplinkGroupDecl,
  VrrpdConfig,
  VrrpScriptModel,
} from '../model/types.js';

export function finishConfig(draft: ConfigDraft, sink: DiagnosticSink): VrrpdConfig {
  const scriptDrafts = firstOfEachName(draft.scripts, 'vrrp_script', sink);
  const scripts = scriptDrafts
    .map((script) => finishScript(script, sink))
    .filter((s): s is VrrpScriptModel => s !== null);
  const trackFileDrafts = firstOfEachName(draft.trackFiles, 'track_file', sink);
  const trackFiles = trackFileDrafts
    .map((file) => finishTrackFile(file, sink))
    .filter((f): f is TrackFileModel => f !== null);
  // Only what survived can be tracked: keepalived removes a vrrp_script without a script.
  const scriptOrder: DefinitionOrder = new Map(
    scripts.map((s) => [s.name, scriptDrafts.find((d) => d.name === s.name)?.order ?? 0]),
  );
  const trackFileOrder: DefinitionOrder = new Map(
    trackFiles.map((f) => [f.name, trackFileDrafts.find((d) => d.name === f.name)?.order ?? 0]),
  );
  const processDrafts = firstOfEachName(draft.processTracks, 'vrrp_track_process', sink);
  const processTracks = processDrafts
    .map((p) => finishProcessTrack(p, sink))
    .filter((p): p is ProcessTrackModel => p !== null);
  const processOrder: DefinitionOrder = new Map(
    processTracks.map((p) => [p.name, processDrafts.find((d) => d.name === p.name)?.order ?? 0]),
  );
  const bfdInstances = finishBfdInstances(firstOfEachName(draft.bfdInstances, 'bfd_instance', sink), sink);
  // keepalived's VRRP process knows every bfd_instance not reserved for the checkers.
  const bfdOrder: DefinitionOrder = new Map(
    bfdInstances.filter((b) => b.model.vrrp).map((b) => [b.model.name, b.order]),
  );
  const resolve = (tracker: InstanceDraft | SyncGroupDraft, where: string): SyncGroupReferences => ({
    bfds: resolveReferences(tracker.trackBfds, bfdOrder, 'track_bfd', { where, order: tracker.order }, sink),
    processes: resolveReferences(
      tracker.trackProcesses,
      processOrder,
      'track_process',
      { where, order: tracker.order },
      sink,
    ),
    scripts: resolveReferences(
      tracker.trackScripts,
      scriptOrder,
      'track_script',
      { where, order: tracker.order },
      sink,
    ),
    files: resolveReferences(
      tracker.trackFiles,
      trackFileOrder,
      'track_file',
      { where, order: tracker.order },
      sink,
    ),
  });

  const instanceDrafts = firstOfEachName(draft.instances, 'vrrp_instance', sink);
  const readyInstances = instanceDrafts
    .map((instance) => {
      const kept = resolve(instance, `vrrp_instance ${instance.name}`);
      return finishInstance(
        {
          ...instance,
          trackScripts: kept.scripts,
          trackFiles: kept.files,
          trackProcesses: kept.processes,
          trackBfds: kept.bfds,
        },
        draft.globals,
        sink,
      );
    })
    .filter((i): i is InstanceModel => i !== null);
  checkVridsPerInterface(readyInstances, draft.globals, sink);
  oneFifoPerPath(draft.globals, sink);
  checkFifoReaders(draft.globals, sink);
  uniqueVmacNames(readyInstances, sink);

  const groupDrafts = firstOfEachName(draft.syncGroups, 'vrrp_sync_group', sink);
  const groupReferences = new Map(groupDrafts.map((g) => [g, resolve(g, `vrrp_sync_group ${g.name}`)]));
  const instanceNames = new Set(instanceDrafts.map((i) => i.name));
  const grouped = finishSyncGroups(groupDrafts, instanceNames, groupReferences, sink);
  const tracked = applyKeepalivedTracking(
    readyInstances,
    grouped,
    { scripts, files: trackFiles, processTracks, bfdInstances: bfdInstances.map((b) => b.model) },
    sink,
  );
  const { statics, trackGroups } = finishStatics(draft, new Set(tracked.instances.map((i) => i.name)), sink);
  const firstInstanceOrder = Math.min(...instanceDrafts.map((d) => d.order));
  const numbered = assignRulePriorities(
    syncGroupInitialStates(
      tracked.instances,
      tracked.groups,
      sink,
      new Map(
        instanceDrafts.map((d) => [
          d.name,
          { state: d.state?.value ?? null, priority: d.priority?.value ?? null },
        ]),
      ),
    ),
    sink,
    {
      rules: statics.rules,
      first: draft.statics.order !== undefined && draft.statics.order < firstInstanceOrder,
    },
  );
  statics.rules = numbered.staticRules;
  const instances = numbered.instances.map((instance) => {
    // keepalived: the instance's own setting, else its sync group's, else the global one.
    const own = instanceDrafts.find((d) => d.name === instance.name)?.notifyPriorityChanges ?? null;
    const group = tracked.groups.find((g) => g.instances.includes(instance.name));
    const value = own ?? group?.notifyPriorityChanges ?? draft.globals.notifyPriorityChanges;
    return value === instance.notifyPriorityChanges
      ? instance
      : { ...instance, notifyPriorityChanges: value };
  });
  const syncGroups = tracked.groups;

  const trackedScripts = new Set(
    [...instances, ...syncGroups].flatMap((t) => t.trackScripts.map((s) => s.name)),
  );
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
  const uplinkGroups = firstUplinkGroupOfEachName(draft.uplinkGroups);
  return {
    globals: draft.globals,
    instances,
    syncGroups,
    scripts,
    trackFiles,
    processTracks,
    bfdInstances: bfdInstances.map((b) => b.model),
    uplinkGroups,
    statics: { addresses: statics.addresses, routes: statics.routes, rules: statics.rules },
    trackGroups,
  };
}

/** checkUplinkGroupReferences reports the duplicates; the model keeps the first of each name. */
function firstUplinkGroupOfEachName(groups: readonly UplinkGroupDecl[]): UplinkGroupDecl[] {
  const byName = new Map<string, UplinkGroupDecl>();
  for (const group of groups) if (!byName.has(group.name)) byName.set(group.name, group);
  return [...byName.values()];
}

/** Keeps the first of each name; keepalived skips a later block of the same name ("already defined"). */
function firstOfEachName<T extends { name: string; source: SourceRef }>(
  items: readonly T[],
  kind: string,
  sink: DiagnosticSink,
): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const first = seen.get(item.name);
    if (first) {
      sink.report(
        DiagnosticCodes.conflictDropped,
        item.source,
        `${kind} ${item.name} is defined twice (first at ${describe(first.source, item.source)})`,
        'rename one of them',
        `this one is skipped, as keepalived skips it`,
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

/** keepalived: "(B) VRRP instance A is already using NAME - ignoring name" (the later one gets a generated name). */
function uniqueVmacNames(instances: InstanceModel[], sink: DiagnosticSink): void {
  const users = new Map<string, string>();
  for (const [index, instance] of instances.entries()) {
    // use_vmac and use_ipvlan names share one namespace in keepalived (the instance's vmac_ifname).
    const name = instance.vmac?.name ?? instance.ipvlan?.name;
    if (!name) continue;
    const user = users.get(name);
    if (user === undefined) {
      users.set(name, instance.name);
      continue;
    }
    const kind = instance.vmac ? 'VMAC' : 'ipvlan';
    sink.report(
      DiagnosticCodes.conflictDropped,
      instance.source,
      `vrrp_instance ${instance.name}: VRRP instance ${user} is already using ${kind} name ${name}`,
      `give each instance its own use_${instance.vmac ? 'vmac' : 'ipvlan'} name`,
      'the name is ignored (a generated one is used), as keepalived ignores it',
    );
    instances[index] = instance.vmac
      ? { ...instance, vmac: { ...instance.vmac, name: null } }
      : { ...instance, ipvlan: instance.ipvlan ? { ...instance.ipvlan, name: null } : null };
  }
}

/** keepalived drops a vrrp_track_process without `process` ("process name not specified"). */
function finishProcessTrack(draft: ProcessTrackDraft, sink: DiagnosticSink): ProcessTrackModel | null {
  if (draft.process === null) {
    sink.report(
      DiagnosticCodes.missingDropped,
      draft.source,
      `vrrp_track_process ${draft.name}: process name not specified`,
      'add: process <NAME> [PARAM …]',
      'the block is removed, and so are the trackers naming it, as keepalived removes them',
    );
    return null;
  }
  return {
    name: draft.name,
    process: draft.process,
    params: draft.params,
    paramMatch: draft.paramMatch ?? 'none',
    fullCommand: draft.fullCommand,
    quorum: draft.quorum,
    quorumMax: draft.quorumMax,
    forkDelayMs: draft.forkDelayMs,
    terminateDelayMs: draft.terminateDelayMs,
    weight: draft.weight ?? 0,
    weightReverse: draft.weightReverse,
    source: draft.source,
  };
}

function finishScript(draft: ScriptDraft, sink: DiagnosticSink): VrrpScriptModel | null {
  if (!draft.script) {
    // keepalived: "No script set for vrrp_script X - removing"; its trackers then drop it too.
    sink.report(
      DiagnosticCodes.missingDropped,
      draft.source,
      `vrrp_script ${draft.name} has no usable 'script' (none written, none selected by its @ID lines, or none valid)`,
      'add: script "/path/to/check arguments"',
      `the vrrp_script is removed, as keepalived removes it`,
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
    sink.report(
      DiagnosticCodes.missingDropped,
      draft.source,
      `track_file ${draft.name} has no usable 'file'`,
      'add: file /path/to/file',
      `it is removed, as keepalived removes it`,
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
 * Two instances may share a VRID on an interface and family only where their adverts can be told
 * apart, keepalived 2.2.7's rule (vrrp.c): one unicast and one multicast; two multicast ones
 * sending to different groups; two unicast ones with different configured sources, or with no peer
 * in common. Otherwise keepalived refuses the file, and so does vrrpd. The receiver picks the
 * instance of an advert by its source and destination (packet/vrid-demux.ts).
 */
function checkVridsPerInterface(
  instances: readonly InstanceModel[],
  globals: { mcastGroup4: string; mcastGroup6: string },
  sink: DiagnosticSink,
): void {
  const byKey = new Map<string, InstanceModel[]>();
  for (const instance of instances) {
    const key = `${instance.interface}/${instance.family}/${instance.vrid}`;
    const earlier = byKey.get(key) ?? [];
    const owner = earlier.find((other) => vridsClash(other, instance, globals));
    if (owner) {
      sink.report(
        DiagnosticCodes.conflict,
        instance.source,
        `virtual_router_id ${instance.vrid} is already used on ${instance.interface} (${familyLabel(instance.family)}) by vrrp_instance ${owner.name} (${describe(owner.source, instance.source)}), with adverts that cannot be told apart`,
        'give each virtual router on an interface its own virtual_router_id (or, as keepalived allows, disjoint unicast_peer lists or different mcast_dst_ip groups)',
      );
      continue;
    }
    byKey.set(key, [...earlier, instance]);
  }
}

function vridsClash(
  a: InstanceModel,
  b: InstanceModel,
  globals: { mcastGroup4: string; mcastGroup6: string },
): boolean {
  if ((a.unicastPeers === null) !== (b.unicastPeers === null)) return false;
  if (a.unicastPeers === null || b.unicastPeers === null) {
    const group = (i: InstanceModel) =>
      i.mcastDstIp ?? (i.family === 'ipv6' ? globals.mcastGroup6 : globals.mcastGroup4);
    return canonicalAddress(group(a)) === canonicalAddress(group(b));
  }
  if (
    a.unicastSrcIp !== null &&
    b.unicastSrcIp !== null &&
    canonicalAddress(a.unicastSrcIp) !== canonicalAddress(b.unicastSrcIp)
  )
    return false;
  const peers = new Set(a.unicastPeers.map(canonicalAddress));
  return b.unicastPeers.some((peer) => peers.has(canonicalAddress(peer)));
}

/**
 * notify_fifo and vrrp_notify_fifo naming the same path would write every event twice to it:
 * keepalived 2.2.7 keeps the global one and drops vrrp_notify_fifo with its script (it logs it).
 */
function oneFifoPerPath(globals: GlobalDefs, sink: DiagnosticSink): void {
  const vrrpFifo = globals.vrrpNotifyFifo;
  if (!vrrpFifo || globals.notifyFifo?.path !== vrrpFifo.path) return;
  sink.report(
    DiagnosticCodes.suspicious,
    vrrpFifo.source,
    `vrrp_notify_fifo ${vrrpFifo.path} is also notify_fifo: vrrp_notify_fifo${globals.vrrpNotifyFifoScript ? ' and its vrrp_notify_fifo_script are' : ' is'} ignored, as keepalived ignores them (each event is written once)`,
    'remove vrrp_notify_fifo, or give it another path',
  );
  globals.vrrpNotifyFifo = null;
  globals.vrrpNotifyFifoScript = null;
}

/** keepalived starts a FIFO reader only with its FIFO, and says nothing when the FIFO is missing. */
function checkFifoReaders(globals: GlobalDefs, sink: DiagnosticSink): void {
  const pairs = [
    ['notify_fifo', globals.notifyFifo, globals.notifyFifoScript],
    ['vrrp_notify_fifo', globals.vrrpNotifyFifo, globals.vrrpNotifyFifoScript],
  ] as const;
  for (const [fifo, path, script] of pairs) {
    if (!script || path) continue;
    sink.report(
      DiagnosticCodes.suspicious,
      script.source,
      `${fifo}_script has no ${fifo} to read: it is not run, as keepalived does not run it`,
      `add ${fifo} <PATH>, or remove the line`,
    );
  }
}
