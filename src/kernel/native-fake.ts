// In-memory NativeOps for tests: records every call in order, knows a configurable set of
// interfaces, and can be told to fail the next call of a kind with an errno-style error.

import type { NativeError, NativeOps, RealtimePolicy } from './native.js';

export type NativeCall =
  | { op: 'sendPacketFrame'; ifindex: number; frame: Buffer }
  | { op: 'sdNotify'; state: string; delivered: boolean }
  | { op: 'mlockall'; current: boolean; future: boolean }
  | { op: 'munlockall' }
  | { op: 'setRealtimeScheduler'; policy: RealtimePolicy; priority: number }
  | { op: 'setPriority'; nice: number }
  | { op: 'interfaceIndex'; ifname: string }
  | { op: 'interfaceHardwareAddress'; ifname: string };

export interface FakeInterface {
  index: number;
  mac: string;
}

export class FakeNativeOps implements NativeOps {
  readonly calls: NativeCall[] = [];
  /** Interfaces known by name; unknown names fail like the kernel (ENODEV). */
  readonly interfaces = new Map<string, FakeInterface>();
  /** Whether $NOTIFY_SOCKET is "set": sdNotify returns this. */
  notifySocketSet: boolean;
  private readonly failures = new Map<NativeCall['op'], string>();

  constructor(options: { interfaces?: Record<string, FakeInterface>; notifySocketSet?: boolean } = {}) {
    for (const [name, info] of Object.entries(options.interfaces ?? {})) this.interfaces.set(name, info);
    this.notifySocketSet = options.notifySocketSet ?? false;
  }

  /** Makes the next call of `op` throw an error with this code (e.g. "ENETDOWN"). */
  failNext(op: NativeCall['op'], code: string): void {
    this.failures.set(op, code);
  }

  callsOf<K extends NativeCall['op']>(op: K): Array<Extract<NativeCall, { op: K }>> {
    return this.calls.filter((call): call is Extract<NativeCall, { op: K }> => call.op === op);
  }

  private maybeFail(op: NativeCall['op'], context: string): void {
    const code = this.failures.get(op);
    if (code === undefined) return;
    this.failures.delete(op);
    throw fakeError(code, op, context);
  }

  private lookup(ifname: string): FakeInterface {
    const found = this.interfaces.get(ifname);
    if (!found) throw fakeError('ENODEV', 'if_nametoindex', ifname);
    return found;
  }

  sendPacketFrame(ifindex: number, frame: Buffer): number {
    this.calls.push({ op: 'sendPacketFrame', ifindex, frame: Buffer.from(frame) });
    this.maybeFail('sendPacketFrame', `ifindex ${ifindex}`);
    if (![...this.interfaces.values()].some((i) => i.index === ifindex)) {
      throw fakeError('ENXIO', 'sendto', `ifindex ${ifindex}`);
    }
    return frame.length;
  }

  sdNotify(state: string): boolean {
    this.calls.push({ op: 'sdNotify', state, delivered: this.notifySocketSet });
    this.maybeFail('sdNotify', state);
    return this.notifySocketSet;
  }

  mlockall(current: boolean, future: boolean): void {
    this.calls.push({ op: 'mlockall', current, future });
    this.maybeFail('mlockall', '');
  }

  munlockall(): void {
    this.calls.push({ op: 'munlockall' });
    this.maybeFail('munlockall', '');
  }

  setRealtimeScheduler(policy: RealtimePolicy, priority: number): void {
    this.calls.push({ op: 'setRealtimeScheduler', policy, priority });
    this.maybeFail('setRealtimeScheduler', `${policy} ${priority}`);
  }

  setPriority(nice: number): void {
    this.calls.push({ op: 'setPriority', nice });
    this.maybeFail('setPriority', `nice ${nice}`);
  }

  interfaceIndex(ifname: string): number {
    this.calls.push({ op: 'interfaceIndex', ifname });
    this.maybeFail('interfaceIndex', ifname);
    return this.lookup(ifname).index;
  }

  interfaceHardwareAddress(ifname: string): string {
    this.calls.push({ op: 'interfaceHardwareAddress', ifname });
    this.maybeFail('interfaceHardwareAddress', ifname);
    return this.lookup(ifname).mac;
  }
}

function fakeError(code: string, syscall: string, context: string): NativeError {
  const error: NativeError = new Error(`${syscall} (${context}): fake ${code}`);
  error.code = code;
  error.syscall = syscall;
  return error;
}
