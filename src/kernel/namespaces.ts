// Typed access to the addon's namespace calls (native/src/namespaces.cc): entering the network
// namespace net_namespace names, a private mount namespace, bind mounts, and execve. Each changes
// the calling thread only, so they are called synchronously, one after the other, from the main
// thread, followed by execve (src/daemon/netns-entry.ts says why).

import { binding, withErrorCode, type NativeBinding } from './native.js';

export interface NamespaceOps {
  /** setns(2) the calling thread into the network namespace bound at `path`. */
  enterNetworkNamespace(path: string): void;
  /** unshare(CLONE_NEWNS), then every mount a slave: later mounts stay out of the host's view. */
  privateMountNamespace(): void;
  bindMount(source: string, target: string): void;
  /** umount2(MNT_DETACH). */
  unmount(target: string): void;
  /** execve(2); returns only by throwing. */
  execve(file: string, argv: string[], env: string[]): never;
}

export function createNamespaceOps(native: NativeBinding = binding()): NamespaceOps {
  return {
    enterNetworkNamespace: (path) => withErrorCode(() => native.enterNetworkNamespace(path)),
    privateMountNamespace: () => withErrorCode(() => native.privateMountNamespace()),
    bindMount: (source, target) => withErrorCode(() => native.bindMount(source, target)),
    unmount: (target) => withErrorCode(() => native.unmount(target)),
    execve: (file, argv, env) => withErrorCode(() => native.execve(file, argv, env)),
  };
}
