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

let ipvlanReason: string | undefined | null = null;

/**
 * Undefined when this kernel can make ipvlan links (CONFIG_IPVLAN), otherwise why not. Probed
 * once per process in a throw-away namespace. A kernel built without the driver is a property of
 * the machine, not a broken setup, so it is a skip even in CI unless VRRPD_REQUIRE_IPVLAN=1 (then
 * a loud failure, for CI machines whose kernel is known to have it).
 */
export function requireIpvlan(): string | undefined {
  const root = requireRoot();
  if (root !== undefined) return root;
  if (ipvlanReason === null) {
    const probe = `vipvl${process.pid % 100000}`;
    try {
      execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe', timeout: 5000 });
      execFileSync('ip', ['-n', probe, 'link', 'add', 'base0', 'type', 'dummy'], {
        stdio: 'pipe',
        timeout: 5000,
      });
      execFileSync(
        'ip',
        ['-n', probe, 'link', 'add', 'ipvl0', 'link', 'base0', 'type', 'ipvlan', 'mode', 'l2'],
        {
          stdio: 'pipe',
          timeout: 5000,
        },
      );
      ipvlanReason = undefined;
    } catch (error) {
      ipvlanReason = `this kernel cannot make ipvlan links (CONFIG_IPVLAN): ${(error as Error).message.split('\n')[0]}`;
    } finally {
      try {
        execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe', timeout: 5000 });
      } catch {
        // Not created: nothing to remove.
      }
    }
  }
  if (ipvlanReason !== undefined && process.env.VRRPD_REQUIRE_IPVLAN === '1') {
    throw new Error(`VRRPD_REQUIRE_IPVLAN=1 but ${ipvlanReason}`);
  }
  return ipvlanReason;
}

let vrfReason: string | undefined | null = null;

/**
 * Whether this kernel can make VRF devices (CONFIG_NET_VRF; many CI kernels lack it, as this
 * lab's does): undefined when it can, else the reason to skip. VRRPD_REQUIRE_VRF=1 makes a
 * missing driver an error, for a CI whose kernel has it.
 */
export function requireVrf(): string | undefined {
  const root = requireRoot();
  if (root !== undefined) return root;
  if (vrfReason === null) {
    const probe = `vvrf${process.pid % 100000}`;
    try {
      execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe', timeout: 5000 });
      execFileSync('ip', ['-n', probe, 'link', 'add', 'vrf0', 'type', 'vrf', 'table', '100'], {
        stdio: 'pipe',
        timeout: 5000,
      });
      vrfReason = undefined;
    } catch (error) {
      vrfReason = `this kernel cannot make VRF devices (CONFIG_NET_VRF): ${(error as Error).message.split('\n')[0]}`;
    } finally {
      try {
        execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe', timeout: 5000 });
      } catch {
        // Not created: nothing to remove.
      }
    }
  }
  if (vrfReason !== undefined && process.env.VRRPD_REQUIRE_VRF === '1') {
    throw new Error(`VRRPD_REQUIRE_VRF=1 but ${vrfReason}`);
  }
  return vrfReason;
}
