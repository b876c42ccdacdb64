// Tracker states (links, vrrp_script results, track_file values, process quorums, BFD sessions)
// → the core's `tracker` events.
// The keepalived arithmetic (weights, reverse, track_file limits) lives in src/scripts/track-effect;
// here its verdict is expressed as the (weight, up) pair the core's tracker event takes.

import type { FileTrackerState } from '../scripts/track-file.js';
import {
  fileTrackEffect,
  interfaceTrackEffect,
  processTrackEffect,
  scriptTrackEffect,
  type TrackEffect,
} from '../scripts/track-effect.js';
import type { ScriptTrackerState } from '../scripts/tracker.js';
import type { ProcessTrackerView } from '../scripts/process-track.js';
import type { VrrpEvent } from '../vrrp/index.js';
import type { TrackerBinding } from './plan.js';

export interface TrackerSources {
  interfaceUp(name: string): boolean;
  script(name: string): ScriptTrackerState | undefined;
  file(name: string): FileTrackerState | undefined;
  process(name: string): ProcessTrackerView | undefined;
  /** Whether the bfd_instance's session is Up (false before it first comes Up, as keepalived). */
  bfdUp(name: string): boolean;
}

/** The effect of one binding now, or null when its source has not reported yet. */
export function bindingEffect(binding: TrackerBinding, sources: TrackerSources): TrackEffect | null {
  switch (binding.kind) {
    case 'interface':
      return interfaceTrackEffect(sources.interfaceUp(binding.name), binding.weight, binding.reverse);
    case 'script': {
      const state = sources.script(binding.name);
      // A script that has not reported yet changes nothing: at start-up the instance has no
      // contribution from it; after a reload it keeps the contribution of the previous result.
      if (!state || state.status === 'INIT') return null;
      return scriptTrackEffect(state.status, binding.weight, binding.reverse);
    }
    case 'file': {
      const state = sources.file(binding.name);
      return state ? fileTrackEffect(state.value, binding.weight, binding.reverse) : null;
    }
    case 'process': {
      // A tracker whose process watch could not start counts as without quorum (keepalived:
      // FAULT for weight 0, "quorum not achieved").
      const state = sources.process(binding.name);
      return processTrackEffect(state?.up ?? false, binding.weight, binding.reverse);
    }
    case 'bfd':
      return processTrackEffect(sources.bfdUp(binding.name), binding.weight, binding.reverse);
  }
}

/**
 * The core adds `weight` while up (weight > 0) or while down (weight < 0), and faults on a down
 * weight-0 tracker (src/vrrp/priority.ts); this picks the pair that yields exactly `effect`.
 */
export function coreTrackerEvent(key: string, effect: TrackEffect): VrrpEvent {
  if (effect.fault) return { type: 'tracker', name: key, weight: 0, up: false };
  const contribution = effect.contribution;
  return { type: 'tracker', name: key, weight: contribution, up: contribution >= 0 };
}

export function trackerEvents(bindings: readonly TrackerBinding[], sources: TrackerSources): VrrpEvent[] {
  const events: VrrpEvent[] = [];
  for (const binding of bindings) {
    const effect = bindingEffect(binding, sources);
    if (effect) events.push(coreTrackerEvent(binding.key, effect));
  }
  return events;
}
