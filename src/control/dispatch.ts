// What each control command does, given the daemon's handlers. The daemon implements ControlHandlers;
// everything about sockets and framing stays in server.ts, so this is testable with plain objects.

import {
  ControlErrorCode,
  type AdminArgs,
  type ControlReply,
  type ControlRequest,
  type DemoteArgs,
  type HandoverArgs,
  type RequestId,
} from './protocol.js';
import type {
  AdminResult,
  GarpResult,
  ReloadResult,
  StatsSnapshot,
  StatusSnapshot,
  UplinkPinResult,
} from './status-types.js';
import { errorMessage } from '../runtime/errors.js';

type MaybePromise<T> = T | Promise<T>;

/** What the daemon plugs into the control server. */
export interface ControlHandlers {
  /** The whole current status; the server filters it for `status INSTANCE`. */
  status(): MaybePromise<StatusSnapshot>;
  /** The counters; with `clear`, the values just before they were reset. */
  stats(clear: boolean): MaybePromise<StatsSnapshot>;
  /** Same as SIGHUP, but reports whether the new configuration was accepted and why not. */
  reload(): Promise<ReloadResult>;
  /** Resend gratuitous ARP for an instance's VIPs (only meaningful while MASTER). */
  garp(instance: string): MaybePromise<GarpResult>;
  /** Planned handover into maintenance; resume; runtime priority. */
  handover(args: HandoverArgs): MaybePromise<AdminResult>;
  resume(args: AdminArgs): MaybePromise<AdminResult>;
  demote(args: DemoteArgs): MaybePromise<AdminResult>;
  /** NetGWM's runtime pin of an uplink group (absent: the daemon runs no uplink groups). */
  uplinkPin?(group: string | undefined, gateway: string | null): Promise<UplinkPinResult>;
}

function success(id: RequestId, result: unknown): ControlReply {
  return { id, ok: true, result };
}

function failure(id: RequestId, code: string, message: string): ControlReply {
  return { id, ok: false, error: { code, message } };
}

function unknownInstance(id: RequestId, name: string, snapshot: StatusSnapshot): ControlReply {
  const known = snapshot.instances.map((instance) => instance.name);
  const hint = known.length > 0 ? ` (instances: ${known.join(', ')})` : ' (no instances are configured)';
  return failure(id, ControlErrorCode.unknownInstance, `no instance named "${name}"${hint}`);
}

function adminReply(id: RequestId, outcome: AdminResult): ControlReply {
  return outcome.ok
    ? success(id, { instances: outcome.instances })
    : failure(id, ControlErrorCode.adminRefused, outcome.error);
}

/**
 * Runs one request against the handlers. A handler that throws becomes an INTERNAL error reply
 * (reported through `onHandlerError`), never a crash of the server.
 */
export async function dispatchRequest(
  handlers: ControlHandlers,
  request: ControlRequest,
  onHandlerError: (error: unknown, request: ControlRequest) => void = () => {},
): Promise<ControlReply> {
  const { id } = request;
  try {
    switch (request.command) {
      case 'status': {
        const snapshot = await handlers.status();
        const name = request.args.instance;
        if (name === undefined) return success(id, snapshot);
        const matching = snapshot.instances.filter((instance) => instance.name === name);
        if (matching.length === 0) return unknownInstance(id, name, snapshot);
        return success(id, { ...snapshot, instances: matching });
      }
      case 'stats':
        return success(id, await handlers.stats(request.args.clear));
      case 'reload':
        return success(id, await handlers.reload());
      case 'garp': {
        const name = request.args.instance;
        const snapshot = await handlers.status();
        if (!snapshot.instances.some((instance) => instance.name === name)) {
          return unknownInstance(id, name, snapshot);
        }
        const outcome = await handlers.garp(name);
        if (!outcome.ok) {
          return failure(
            id,
            ControlErrorCode.garpFailed,
            outcome.error ?? `gratuitous ARP for ${name} failed`,
          );
        }
        return success(id, { ok: true });
      }
      case 'handover':
        return adminReply(id, await handlers.handover(request.args));
      case 'resume':
        return adminReply(id, await handlers.resume(request.args));
      case 'demote':
        return adminReply(id, await handlers.demote(request.args));
      case 'uplinkPin': {
        if (!handlers.uplinkPin) {
          return failure(id, ControlErrorCode.uplinkRefused, 'this vrrpd runs no uplink groups');
        }
        const outcome = await handlers.uplinkPin(request.args.group, request.args.gateway);
        if (!outcome.ok) return failure(id, ControlErrorCode.uplinkRefused, outcome.error);
        return success(id, outcome);
      }
    }
  } catch (error) {
    onHandlerError(error, request);
    const reason = errorMessage(error);
    return failure(id, ControlErrorCode.internal, `${request.command} failed inside vrrpd: ${reason}`);
  }
}
