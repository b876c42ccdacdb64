// Carrying out the policy's actions, in the order given: default route writes (awaited), then the
// conntrack flush and post-replace.d hooks on a side queue so a slow hook never delays the next
// round, NetGWM's log line, log records, the state file. A failed route write cancels the rest of
// that switch (flush, hooks, log line) and comes back as an event for the caller to queue.
// The policy's log actions become catalogue lines here (src/uplink may not see the catalogue).

import type { Clock } from '../../runtime/clock.js';
import { LOG, type LogMessage } from '../../runtime/messages.js';
import { SerialQueue } from '../../runtime/serial-queue.js';
import type { UplinkAction, UplinkEvent } from '../../uplink/types.js';
import type { UplinkReporter } from './reporting.js';
import type { RouteSwitcher } from './route-switcher.js';
import type { StateStore } from './state-store.js';
import type { SwitchEffects } from './switch-effects.js';

type PolicyLog = Extract<UplinkAction, { type: 'log' }>;

/** The catalogue entry of one of the policy's log actions: its template, filled, is the action's `message`. */
export function policyLogEntry(action: PolicyLog): LogMessage {
  const { fields } = action;
  switch (action.event) {
    case 'uplink_all_down':
      return LOG.uplinkAllDown;
    case 'uplink_health':
      return fields.to === 'UP' ? LOG.uplinkUp : LOG.uplinkDown;
    case 'uplink_role':
      return LOG.uplinkRole;
    case 'uplink_route_changed':
      return fields.present === false ? LOG.uplinkRouteDeleted : LOG.uplinkRouteChanged;
    case 'uplink_pin':
      if (fields.pinned === null) return LOG.uplinkUnpinned;
      return fields.mode === null ? LOG.uplinkPinned : LOG.uplinkPinOverridden;
  }
}

export interface ActionExecutorDeps {
  reporter: UplinkReporter;
  routes: RouteSwitcher;
  store: StateStore;
  /** The effects of the current configuration (replaced on reload). */
  effects: () => SwitchEffects;
  clock: Clock;
  /** `probeNow`: run a round as soon as possible. */
  requestRound: () => void;
}

export class ActionExecutor {
  private readonly sideQueue: SerialQueue;

  constructor(private readonly deps: ActionExecutorDeps) {
    this.sideQueue = new SerialQueue((label, message) =>
      deps.reporter.say(LOG.uplinkActionFailed, { error: message, action: label }),
    );
  }

  /** Executes `actions`; returns the events they produced (a refused route write). */
  async execute(actions: readonly UplinkAction[]): Promise<UplinkEvent[]> {
    const { reporter, routes, store } = this.deps;
    const followUps: UplinkEvent[] = [];
    // Once the route write fails, the rest of that switch (flush, hooks, log) must not happen.
    let switchFailed = false;
    for (const action of actions) {
      switch (action.type) {
        case 'replaceDefaultRoute': {
          const failed = await routes.write(action);
          switchFailed = failed !== null;
          if (failed) followUps.push(failed);
          break;
        }
        case 'flushConntrack':
          if (!switchFailed) {
            const effects = this.deps.effects();
            this.sideQueue.push('conntrack flush', () => effects.flushConntrack(action.mode, action.old));
          }
          break;
        case 'runHooks':
          if (!switchFailed) {
            const effects = this.deps.effects();
            this.sideQueue.push('post-replace.d', () => effects.runHooks(action.args));
          }
          break;
        case 'gatewayEvent': {
          const effects = this.deps.effects();
          this.sideQueue.push('event hooks', () =>
            effects.runEventHooks(action.action, action.gateway, action.previous),
          );
          break;
        }
        case 'logSwitch':
          if (!switchFailed) await this.logSwitch(action);
          break;
        case 'restoreFallbackRoute':
          await routes.restoreFallback();
          break;
        case 'log':
          reporter.say(policyLogEntry(action), { event: action.event, ...action.fields }, action.level);
          break;
        case 'persist':
          store.save(action.snapshot);
          break;
        case 'probeNow':
          this.deps.requestRound();
          break;
      }
    }
    return followUps;
  }

  /** Resolves when the hooks and flushes queued so far have finished. */
  idle(): Promise<void> {
    return this.sideQueue.idle();
  }

  private async logSwitch(action: Extract<UplinkAction, { type: 'logSwitch' }>): Promise<void> {
    const { reporter } = this.deps;
    const { from, to, reason } = action;
    reporter.say(LOG.uplinkSwitched, {
      event: 'uplink_switch',
      from: from?.id ?? null,
      to: to.id,
      reason,
      via: to.ip,
      dev: to.dev,
      was: from?.id ?? 'none',
    });
    reporter.counters.switches++;
    reporter.notify({ kind: 'switch', from: from?.id ?? null, to: to.id, reason });
    await this.deps.effects().appendNetgwmLog(to, this.deps.clock.wallNow());
  }
}
