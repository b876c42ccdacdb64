// Typed access to the native addon (native/): the system calls neither Node nor raw-socket
// offer. The addon is loaded lazily by node-gyp-build, so modules that merely import this file
// (and unit tests using native-fake.ts) work on a machine where it is not built.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSystemErrorName } from 'node:util';

export type RealtimePolicy = 'rr' | 'fifo';

/** What the daemon and the kernel adapters need from the addon. Fake: native-fake.ts. */
export interface NativeOps {
  /** Sends a complete Ethernet frame (destination MAC first) out of `ifindex`; returns bytes sent. */
  sendPacketFrame(ifindex: number, frame: Buffer): number;
  /**
   * sd_notify(3): sends `state` (e.g. "READY=1\nSTATUS=…") to $NOTIFY_SOCKET. Returns false,
   * sending nothing, when the variable is unset (not started by systemd with Type=notify).
   */
  sdNotify(state: string): boolean;
  /**
   * mlockall(2) with MCL_CURRENT and/or MCL_FUTURE (keepalived's vrrp_no_swap). Also arranges
   * munlockall() at process exit: V8 frees memory with madvise(MADV_DONTNEED), which Linux
   * refuses on locked pages, and V8 aborts ("Check failed: 0 == ret") while tearing down.
   */
  mlockall(current: boolean, future: boolean): void;
  /** munlockall(2). */
  munlockall(): void;
  /** Real-time scheduling for the event-loop thread (keepalived's vrrp_rt_priority uses rr). */
  setRealtimeScheduler(policy: RealtimePolicy, priority: number): void;
  /** Nice value -20..19 for the event-loop thread (keepalived's vrrp_priority). */
  setPriority(nice: number): void;
  /** if_nametoindex(3) in this process's network namespace. */
  interfaceIndex(ifname: string): number;
  /** The interface's MAC as "aa:bb:cc:dd:ee:ff" (SIOCGIFHWADDR); throws for non-Ethernet links. */
  interfaceHardwareAddress(ifname: string): string;
}

/** The raw exports of native/src/addon.cc. */
export interface NativeBinding {
  sendPacketFrame(ifindex: number, frame: Buffer): number;
  notifySocketSend(path: string, state: string): boolean;
  mlockall(current: boolean, future: boolean): void;
  munlockall(): void;
  setRealtimeScheduler(policy: string, priority: number): void;
  setPriority(nice: number): void;
  interfaceIndex(ifname: string): number;
  interfaceHardwareAddress(ifname: string): string;
}

/** Errors from the addon carry errno; give them Node's usual `code` ("ENODEV") as well. */
export interface NativeError extends Error {
  errno?: number;
  code?: string;
  syscall?: string;
}

function withErrorCode<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    const native = error as NativeError;
    if (typeof native.errno === 'number' && native.code === undefined) {
      try {
        native.code = getSystemErrorName(-native.errno);
      } catch {
        native.code = `E${native.errno}`;
      }
    }
    throw error;
  }
}

/** Directory holding native/binding.gyp, found from this module (src/kernel or dist/src/kernel). */
export function nativeDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, 'native');
    if (existsSync(join(candidate, 'binding.gyp'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(
    'vrrpd native addon sources (native/binding.gyp) not found above ' + fileURLToPath(import.meta.url),
  );
}

let cachedBinding: NativeBinding | undefined;
let unlockAtExitInstalled = false;

function binding(): NativeBinding {
  if (!cachedBinding) {
    const require = createRequire(import.meta.url);
    const load = require('node-gyp-build') as (dir: string) => NativeBinding;
    cachedBinding = load(nativeDirectory());
  }
  return cachedBinding;
}

/** NativeOps over a binding; `env` is read at each sdNotify call (tests pass their own). */
export function createNativeOps(
  native: NativeBinding = binding(),
  env: NodeJS.ProcessEnv = process.env,
): NativeOps {
  return {
    sendPacketFrame: (ifindex, frame) => withErrorCode(() => native.sendPacketFrame(ifindex, frame)),
    sdNotify: (state) => {
      const socketPath = env.NOTIFY_SOCKET;
      if (!socketPath) return false;
      return withErrorCode(() => native.notifySocketSend(socketPath, state));
    },
    mlockall: (current, future) => {
      withErrorCode(() => native.mlockall(current, future));
      if (!unlockAtExitInstalled) {
        unlockAtExitInstalled = true;
        process.once('exit', () => native.munlockall());
      }
    },
    munlockall: () => withErrorCode(() => native.munlockall()),
    setRealtimeScheduler: (policy, priority) =>
      withErrorCode(() => native.setRealtimeScheduler(policy, priority)),
    setPriority: (nice) => withErrorCode(() => native.setPriority(nice)),
    interfaceIndex: (ifname) => withErrorCode(() => native.interfaceIndex(ifname)),
    interfaceHardwareAddress: (ifname) => withErrorCode(() => native.interfaceHardwareAddress(ifname)),
  };
}

let cachedOps: NativeOps | undefined;

/** The process-wide NativeOps (loads the addon on first use; throws if it is not built). */
export function loadNative(): NativeOps {
  cachedOps ??= createNativeOps();
  return cachedOps;
}
