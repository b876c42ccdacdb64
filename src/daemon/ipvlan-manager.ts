// The ipvlans of the running instances (use_ipvlan; keepalived vrrp_vmac.c netlink_link_add_ipvlan
// and vrrp.c): made at start (whatever the state) and for instances a reload adds, named as VMACs
// are (the configured name, else PREFIX.VRID, PREFIX1.VRID…); one a previous run left on the same
// base, L2, of the same kind — with the configured name, and holding the configured address — is
// adopted. Then, as keepalived: the instance's address goes on it, and IPv6 is turned off on it
// for an IPv4 instance without IPv6 addresses (disable_ipv6; keepalived sets no other sysctl for
// an ipvlan). Removed when their instance leaves and at stop. The plans are rewritten onto them
// (ipvlan-plan.ts).

import type { VrrpdConfig } from '../config/model/types.js';
import type { KernelAddresses } from '../kernel/addresses.js';
import {
  findAdoptableIpvlan,
  type IpvlanKind,
  type IpvlanLink,
  type KernelIpvlans,
} from '../kernel/ipvlan.js';
import { ipv6ConfKey, type Sysctls } from '../kernel/sysctl.js';
import { chooseVmacName, DEFAULT_VMAC_PREFIX, type VmacFamily } from '../kernel/vmac-plan.js';
import { errorMessage } from '../runtime/errors.js';
import type { Logger } from '../runtime/log.js';
import { LOG, say } from '../runtime/messages.js';
import { canonicalAddress } from '../packet/ip-address.js';
import { planOnIpvlan } from './ipvlan-plan.js';
import type { InstancePlan } from './plan.js';

interface Wanted {
  instance: string;
  base: string;
  kind: IpvlanKind;
  configuredName: string | null;
  address: { address: string; prefix: number } | null;
  family: VmacFamily;
  prefix: string;
  vrid: number;
  disableIpv6: boolean;
}

interface IpvlanRecord {
  instance: string;
  name: string;
  base: string;
  kind: IpvlanKind;
  /** ADDR/LEN put on it, or null. */
  address: string | null;
  /** What it was made for: a changed use_ipvlan (or base) makes a new one at reload. */
  spec: string;
  /** What it was made from: restore() makes it again after the kernel lost it. */
  want: Wanted;
}

export interface IpvlanManagerDeps {
  ipvlans: KernelIpvlans;
  sysctls: Sysctls;
  addresses: Pick<KernelAddresses, 'add' | 'list'>;
  indexOf(ifname: string): number | undefined;
  /** The interfaces the kernel has now (a name is free only if none has it). */
  linkNames(): Promise<string[]>;
  logger: Logger;
}

export interface IpvlanStatusEntry {
  instance: string;
  name: string;
  base: string;
  kind: IpvlanKind;
  address: string | null;
}

export class IpvlanManager {
  /** By instance name: one ipvlan per instance. */
  private readonly records = new Map<string, IpvlanRecord>();

  constructor(private readonly deps: IpvlanManagerDeps) {}

  wants(plans: readonly InstancePlan[]): boolean {
    return plans.some((plan) => plan.model.ipvlan !== null);
  }

  list(): IpvlanStatusEntry[] {
    return [...this.records.values()].map(({ instance, name, base, kind, address }) => ({
      instance,
      name,
      base,
      kind,
      address,
    }));
  }

  /** The ipvlans the plans need, created or adopted now; the plans rewritten onto them. */
  async prepare(plans: readonly InstancePlan[], config: VrrpdConfig): Promise<InstancePlan[]> {
    const wanted = plans.flatMap((plan) => this.wantedBy(plan, config));
    if (wanted.length === 0) return [...plans];
    let links: IpvlanLink[] = [];
    let existing = new Set<string>();
    try {
      links = await this.deps.ipvlans.list();
      existing = new Set(await this.deps.linkNames());
    } catch (error) {
      say(this.deps.logger, LOG.vmacListFailed, { what: 'interfaces', err: errorMessage(error) });
    }
    for (const want of wanted) {
      const record = this.records.get(want.instance);
      if (record && record.spec === specOf(want)) continue;
      if (record) await this.removeRecord(record);
      await this.create(want, links, existing);
    }
    return plans.map((plan) => {
      const record = this.records.get(plan.name);
      return record && plan.model.ipvlan ? planOnIpvlan(plan, record.name) : plan;
    });
  }

  /** After a reload: the ipvlans of instances that left (or no longer want one) go. */
  async release(plans: readonly InstancePlan[], config: VrrpdConfig): Promise<void> {
    const keep = new Map(plans.flatMap((plan) => this.wantedBy(plan, config)).map((w) => [w.instance, w]));
    for (const record of [...this.records.values()]) {
      const want = keep.get(record.instance);
      if (!want || specOf(want) !== record.spec) await this.removeRecord(record);
    }
  }

  /**
   * The kernel lost an ipvlan of ours (base deleted, or the ipvlan itself): made again with the
   * same name and address when its base exists (keepalived vrrp_if.c recreate_vmac_thread).
   */
  async restore(name: string): Promise<boolean> {
    const record = [...this.records.values()].find((r) => r.name === name);
    if (!record) return false;
    let links: IpvlanLink[];
    let names: Set<string>;
    try {
      links = await this.deps.ipvlans.list();
      names = new Set(await this.deps.linkNames());
    } catch (error) {
      say(this.deps.logger, LOG.vmacListFailed, { what: 'interfaces', err: errorMessage(error) });
      return false;
    }
    if (!names.has(record.base) || names.has(record.name)) return false;
    this.records.delete(record.instance);
    await this.create({ ...record.want, configuredName: record.name }, links, names);
    const made = this.records.get(record.instance);
    if (!made) {
      this.records.set(record.instance, record);
      return false;
    }
    made.spec = record.spec;
    made.want = record.want;
    return true;
  }

  async stopAll(): Promise<void> {
    for (const record of [...this.records.values()]) await this.removeRecord(record);
  }

  private wantedBy(plan: InstancePlan, config: VrrpdConfig): Wanted[] {
    const { model } = plan;
    if (!model.ipvlan) return [];
    const address = model.ipvlan.address;
    return [
      {
        instance: model.name,
        base: model.interface,
        kind: model.ipvlan.mode,
        configuredName: model.ipvlan.name,
        address: address ? { address: address.address, prefix: address.prefix } : null,
        family: model.family,
        prefix: config.globals.vmacPrefix ?? DEFAULT_VMAC_PREFIX,
        vrid: model.vrid,
        // keepalived: IPv6 stays on only when the instance has excluded addresses of the other family.
        disableIpv6:
          model.family === 'ipv4' && !model.excludedVips.some((vip) => vip.family !== model.family),
      },
    ];
  }

  private async create(want: Wanted, links: IpvlanLink[], existing: Set<string>): Promise<void> {
    const fail = (ipvlan: string, err: string) =>
      say(this.deps.logger, LOG.ipvlanFailed, { ipvlan, base: want.base, instance: want.instance, err });
    const baseIfindex = this.deps.indexOf(want.base);
    if (baseIfindex === undefined) {
      fail(want.configuredName ?? '-', `no interface ${want.base}`);
      return;
    }
    const ours = new Set([...this.records.values()].map((r) => r.name));
    const adopt = await this.adoptable(
      links.filter((l) => !ours.has(l.name)),
      want,
      baseIfindex,
    );
    let name = adopt?.name ?? null;
    if (!adopt) {
      const taken = (candidate: string) => ours.has(candidate) || existing.has(candidate);
      const configured = want.configuredName;
      if (configured && !taken(configured)) name = configured;
      else {
        if (configured)
          fail(
            configured,
            `interface ${configured} already exists and is not our ipvlan; using a generated name`,
          );
        name = chooseVmacName(want.prefix, want.vrid, want.family, taken);
      }
    }
    if (!name) {
      fail(want.configuredName ?? want.prefix, 'no free ipvlan name');
      return;
    }
    let ifindex: number;
    try {
      ifindex =
        adopt?.ifindex ?? (await this.deps.ipvlans.create({ name, baseIfindex, kind: want.kind })).ifindex;
    } catch (error) {
      fail(name, errorMessage(error));
      return;
    }
    existing.add(name);
    const address = want.address ? `${want.address.address}/${want.address.prefix}` : null;
    this.records.set(want.instance, {
      instance: want.instance,
      name,
      base: want.base,
      kind: want.kind,
      address,
      spec: specOf(want),
      want,
    });
    say(this.deps.logger, LOG.ipvlanReady, {
      ipvlan: name,
      base: want.base,
      kind: want.kind,
      how: adopt ? 'adopted' : 'created',
      instance: want.instance,
    });
    try {
      await this.deps.sysctls.write(ipv6ConfKey(name, 'disable_ipv6'), want.disableIpv6 ? 1 : 0);
    } catch (error) {
      fail(name, `disable_ipv6: ${errorMessage(error)}`);
    }
    if (want.address) {
      try {
        await this.deps.addresses.add({
          ifindex,
          address: want.address.address,
          prefixLength: want.address.prefix,
        });
      } catch (error) {
        fail(name, `address ${address}: ${errorMessage(error)}`);
      }
    }
  }

  /**
   * keepalived's match for a left-over ipvlan: same base, L2, same kind, the configured name if
   * any, holding the configured address if any; an IPv6 instance with neither is never matched.
   */
  private async adoptable(
    links: readonly IpvlanLink[],
    want: Wanted,
    baseIfindex: number,
  ): Promise<IpvlanLink | undefined> {
    if (want.configuredName === null && want.address === null) return undefined;
    const candidates = links.filter(
      (l) =>
        findAdoptableIpvlan([l], { baseIfindex, kind: want.kind, name: want.configuredName }) !== undefined,
    );
    if (!want.address) return candidates[0];
    for (const candidate of candidates) {
      try {
        const held = await this.deps.addresses.list(candidate.ifindex, 'all');
        const wanted = canonicalAddress(want.address.address);
        if (held.some((a) => canonicalAddress(a.address) === wanted)) return candidate;
      } catch {
        // Gone meanwhile: not adoptable.
      }
    }
    return undefined;
  }

  private async removeRecord(record: IpvlanRecord): Promise<void> {
    this.records.delete(record.instance);
    try {
      await this.deps.ipvlans.remove(record.name);
    } catch (error) {
      say(this.deps.logger, LOG.ipvlanRemoveFailed, { ipvlan: record.name, err: errorMessage(error) });
    }
    say(this.deps.logger, LOG.ipvlanRemoved, { ipvlan: record.name });
  }
}

function specOf(want: Wanted): string {
  return JSON.stringify([want.base, want.kind, want.configuredName, want.address]);
}
