// Can this process build network namespaces? Real-kernel suites ask before creating a lab.
// Outside CI a missing capability is a skip with a clear reason; in CI (CI=true) it is a loud
// failure, because a CI run that silently skips the real-kernel tests proves nothing.

import { execFileSync } from 'node:child_process';

let cachedReason: string | undefined | null = null;

function probeNamespaces(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'real-kernel tests need root (network namespaces, raw sockets): run as root or with sudo';
  }
  const probe = `vprobe${process.pid % 100000}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe', timeout: 5000 });
  } catch (error) {
    return `cannot create a network namespace with iproute2 (${(error as Error).message.split('\n')[0]})`;
  }
  try {
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe', timeout: 5000 });
  } catch {
    // The namespace was created, so the capability exists; a failed delete is reported by `ip netns list`.
  }
  return undefined;
}

/**
 * Returns undefined when namespaces are usable, otherwise the reason to skip. Throws instead
 * of returning a reason when CI=true. Probes once per process.
 */
export function requireRoot(): string | undefined {
  if (cachedReason === null) cachedReason = probeNamespaces();
  if (cachedReason !== undefined && process.env.CI === 'true') {
    throw new Error(`CI=true but the real-kernel tests cannot run: ${cachedReason}`);
  }
  return cachedReason;
}
