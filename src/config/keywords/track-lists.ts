// The track_* list blocks vrrp_instance and vrrp_sync_group share: the same syntax and entry
// parsers, each block saying in its own words what the tracking does there.

import type { TrackedInterface, TrackReference } from '../model/types.js';
import { parseTrackInterface, parseTrackReference } from '../values/track-entries.js';
import { listBlock } from './common.js';
import type { KeywordSpec } from './types.js';

export interface TrackLists {
  trackInterfaces: TrackedInterface[];
  trackScripts: TrackReference[];
  trackFiles: TrackReference[];
  trackProcesses: TrackReference[];
  trackBfds: TrackReference[];
}

/** The doc line of each list, in the owner's words. */
export interface TrackListDocs {
  interface: string;
  script: string;
  file: string;
  process: string;
  bfd: string;
}

type ReferenceList = 'track_script' | 'track_file' | 'track_process' | 'track_bfd';

export function trackListKeywords<T extends TrackLists>(docs: TrackListDocs): KeywordSpec<T>[] {
  const references = (
    name: ReferenceList,
    syntax: string,
    doc: string,
    list: (target: T) => TrackReference[],
  ) =>
    listBlock<T>(name, syntax, doc, (child, target, ctx) => {
      const reference = parseTrackReference(child, name, ctx);
      if (reference) list(target).push(reference);
    });
  return [
    listBlock<T>(
      'track_interface',
      '{ <IF> [weight <-253..253> [reverse]] … }',
      docs.interface,
      (child, target, ctx) => {
        const tracked = parseTrackInterface(child, ctx);
        if (tracked) target.trackInterfaces.push(tracked);
      },
    ),
    references(
      'track_script',
      '{ <VRRP_SCRIPT> [weight <-253..253> [reverse]] … }',
      docs.script,
      (t) => t.trackScripts,
    ),
    references(
      'track_file',
      '{ <TRACK_FILE> [weight <-254..254> [reverse]] … }',
      docs.file,
      (t) => t.trackFiles,
    ),
    references(
      'track_process',
      '{ <VRRP_TRACK_PROCESS> [weight <-254..254> [reverse]] … }',
      docs.process,
      (t) => t.trackProcesses,
    ),
    references(
      'track_bfd',
      '{ <BFD_INSTANCE> [weight <-253..253> [reverse|noreverse]] … }',
      docs.bfd,
      (t) => t.trackBfds,
    ),
  ];
}
