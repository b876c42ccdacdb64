// The kernel parameters keepalived sets around an IPv4 VMAC (vrrp_if_config.c), set and restored
// through a SysctlJournal:
//  - on the VMAC: arp_ignore 1 (answer ARP only for addresses on it, so replies carry the virtual
//    MAC), accept_local 1 and rp_filter 0 (it receives packets from the router's own addresses),
//    promote_secondaries 1; disable_ipv6 1 unless the instance has IPv6 addresses on it. Not
//    restored: the interface is deleted with them.
//  - on the base interface, once per base however many VMACs it carries: arp_ignore 1 and
//    arp_filter 1 (so the base does not answer for the VMAC's addresses); restored when its last
//    VMAC goes. keepalived 2.2.7 means to restore them and does not (docs/design/ka-features.md
//    §3); we do.
//  - also on the base, which keepalived 2.2.7 does not set: arp_announce 2. A VIP on a VMAC in
//    the base's subnet adds a second connected route, and replies to clients leave through the
//    base's (the first one); the base then ARPs for the client with the VIP as sender address and
//    the client re-learns the VIP at the *base's* MAC (observed with keepalived 2.2.7 — the
//    virtual MAC would then move at failover, which is what use_vmac is for). With arp_announce 2
//    the base's ARP requests carry its own address. `baseArpAnnounce: false` gives keepalived's
//    exact behaviour.
//  - rp_filter: the kernel uses the stricter of net.ipv4.conf.all and the interface, so a VMAC's 0
//    needs all = 0. Once per daemon, if all is not 0: default and every interface below all's value
//    are raised to it (nothing's effective filter changes), then all := 0. Restored at shutdown,
//    key by key, where nobody changed them since.
// Failures are returned as notices, never thrown: a VMAC without its sysctls still works for the
// common case, and keepalived also only logs these.

import { ipv4ConfKey, ipv6ConfKey, SysctlJournal, type RestoreReport, type Sysctls } from './sysctl.js';
import { errorMessage } from '../runtime/errors.js';

/** keepalived's arp_ignore on a VMAC: answer only for addresses on it. */
const VMAC_ARP_IGNORE = 1;
/** A releasing master's VMAC (see setArpQuiet): answer no ARP at all. */
const VMAC_ARP_QUIET = 8;

export const VMAC_SYSCTLS: ReadonlyArray<readonly [string, number]> = [
  ['arp_ignore', VMAC_ARP_IGNORE],
  ['accept_local', 1],
  ['rp_filter', 0],
  ['promote_secondaries', 1],
];
export const BASE_SYSCTLS: ReadonlyArray<readonly [string, number]> = [
  ['arp_ignore', 1],
  ['arp_filter', 1],
];
/** vrrpd's addition on the base (see above). */
export const BASE_ARP_ANNOUNCE: readonly [string, number] = ['arp_announce', 2];

export interface VmacSysctlsOptions {
  /** Set arp_announce 2 on base interfaces (default true; false = keepalived 2.2.7 exactly). */
  baseArpAnnounce?: boolean;
}

export interface VmacAttachOptions {
  /** IPv4 instance without IPv6 addresses on the VMAC: turn IPv6 off on it (keepalived does). */
  disableIpv6: boolean;
}

export class VmacSysctls {
  private readonly journal: SysctlJournal;
  /** VMACs per base interface. */
  private readonly bases = new Map<string, Set<string>>();
  private rpFilterCleared = false;

  private readonly baseSysctls: ReadonlyArray<readonly [string, number]>;

  constructor(
    private readonly sysctls: Sysctls,
    options: VmacSysctlsOptions = {},
  ) {
    this.journal = new SysctlJournal(sysctls);
    this.baseSysctls =
      options.baseArpAnnounce === false ? BASE_SYSCTLS : [...BASE_SYSCTLS, BASE_ARP_ANNOUNCE];
  }

  /** Applies everything for a new IPv4 VMAC on `base`; returns notices (changes and failures). */
  async attach(vmac: string, base: string, options: VmacAttachOptions): Promise<string[]> {
    const notices: string[] = [];
    if (!this.rpFilterCleared) {
      this.rpFilterCleared = true;
      notices.push(...(await this.clearRpFilter(vmac)));
    }
    for (const [parameter, value] of VMAC_SYSCTLS) {
      await this.tryWrite(ipv4ConfKey(vmac, parameter), value, notices);
    }
    if (options.disableIpv6) await this.tryWrite(ipv6ConfKey(vmac, 'disable_ipv6'), 1, notices);

    const vmacs = this.bases.get(base) ?? new Set<string>();
    if (vmacs.size === 0) {
      for (const [parameter, value] of this.baseSysctls) {
        await this.trySet(ipv4ConfKey(base, parameter), value, notices);
      }
    }
    vmacs.add(vmac);
    this.bases.set(base, vmacs);
    return notices;
  }

  /** The VMAC is gone: when it was its base's last, the base's arp settings go back. */
  async detach(vmac: string, base: string): Promise<RestoreReport | null> {
    const vmacs = this.bases.get(base);
    if (!vmacs?.delete(vmac) || vmacs.size > 0) return null;
    this.bases.delete(base);
    return this.journal.restore(this.baseSysctls.map(([parameter]) => ipv4ConfKey(base, parameter)));
  }

  /** Shutdown: rp_filter and any base still carrying VMACs go back. */
  async restoreAll(): Promise<RestoreReport> {
    this.bases.clear();
    this.rpFilterCleared = false;
    return this.journal.restore();
  }

  /** `vmac` is skipped: it gets its own 0 right after (and is deleted, not restored). */
  private async clearRpFilter(vmac: string): Promise<string[]> {
    const notices: string[] = [];
    const all = await this.sysctls.read('net/ipv4/conf/all/rp_filter');
    if (all === null) return ['cannot read net.ipv4.conf.all.rp_filter'];
    if (all === 0) return notices;
    const keys = ['net/ipv4/conf/default/rp_filter'];
    try {
      for (const ifname of await this.sysctls.ipv4Interfaces()) {
        if (ifname !== vmac) keys.push(ipv4ConfKey(ifname, 'rp_filter'));
      }
    } catch (error) {
      notices.push(`cannot list interfaces: ${errorMessage(error)}`);
    }
    for (const key of keys) {
      const value = await this.sysctls.read(key);
      if (value !== null && value < all) await this.trySet(key, all, notices);
    }
    await this.trySet('net/ipv4/conf/all/rp_filter', 0, notices);
    return notices;
  }

  private async trySet(key: string, value: number, notices: string[]): Promise<void> {
    try {
      const before = await this.sysctls.read(key);
      await this.journal.set(key, value);
      if (before !== value) notices.push(`set ${key} from ${String(before)} to ${value}`);
    } catch (error) {
      notices.push(`cannot set ${key} to ${value}: ${errorMessage(error)}`);
    }
  }

  /**
   * A master releasing make-before-break: its VMAC answers no ARP until its addresses are gone
   * (then keepalived's value again). The new master's gratuitous ARPs come from the same virtual
   * MAC; an answer from the old master, sent from that MAC, would pull the switch's entry for it
   * back to the old master's port until the new master's next frame.
   */
  async setArpQuiet(vmac: string, quiet: boolean): Promise<string[]> {
    const notices: string[] = [];
    await this.tryWrite(ipv4ConfKey(vmac, 'arp_ignore'), quiet ? VMAC_ARP_QUIET : VMAC_ARP_IGNORE, notices);
    return notices;
  }

  private async tryWrite(key: string, value: number, notices: string[]): Promise<void> {
    try {
      await this.sysctls.write(key, value);
    } catch (error) {
      notices.push(`cannot set ${key} to ${value}: ${errorMessage(error)}`);
    }
  }
}
