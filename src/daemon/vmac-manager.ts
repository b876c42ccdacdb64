// The VMACs of the running instances (keepalived vrrp_vmac.c, vrrp.c): created at start (whatever
// the state) and for instances a reload adds; a macvlan a previous run left on the same base with
// the expected MAC and private mode is adopted; a configured name already used by something else
// is replaced by a generated one (PREFIX.VRID, PREFIX1.VRID…); removed when their instance leaves
// and at stop, with the sysctls keepalived sets around them restored (vmac-sysctls.ts). The plans
// are rewritten to put addresses and adverts on them (vmac-plan.ts). use_ipvlan's ipvlans go
// through here too (ipvlan-manager.ts), so the daemon has one place for the links it makes.

import type { VrrpdConfig } from '../config/model/types.js';
import type { KernelAddresses } from '../kernel/addresses.js';
import type { RestoreReport, Sysctls } from '../kernel/sysctl.js';
import { chooseVmacName, DEFAULT_VMAC_PREFIX, vmacAddress, type VmacFamily } from '../kernel/vmac-plan.js';
import { findAdoptableVmac, type CreatedVmac, type KernelVmacs, type MacvlanLink } from '../kernel/vmac.js';
import { VmacSysctls } from '../kernel/vmac-sysctls.js';
import { errorMessage } from '../runtime/errors.js';
import type { Logger } from '../runtime/log.js';
import { LOG, say } from '../runtime/messages.js';
import type { InstancePlan } from './plan.js';
import { addressVmacBase, baseKey, planOnVmacs, type InstanceVmacs } from './vmac-plan.js';
import { IpvlanManager, type IpvlanStatusEntry } from './ipvlan-manager.js';
import type { KernelIpvlans } from '../kernel/ipvlan.js';

export interface StackedLinkEntry {
  instance: string;
  name: string;
  base: string;
}

interface VmacRecord {
  /** `instance\0base\0family`: one VMAC per instance and base interface. */
  key: string;
  instance: string;
  name: string;
  base: string;
  mac: string;
  family: VmacFamily;
  /** The configured name it was made for (use_vmac IFNAME), if any. */
  configuredName: string | null;
  /** IPv6: the link-local address adverts are sent from is on the VMAC (see linkLocalOnVmac). */
  sendsIpv6: boolean;
  /** What it was made from: restore() makes it again, with the same name, after the kernel lost it. */
  want: Wanted;
}

interface Wanted {
  key: string;
  instance: string;
  base: string;
  mac: string;
  family: VmacFamily;
  configuredName: string | null;
  prefix: string;
  vrid: number;
  disableIpv6: boolean;
  /**
   * IPv6 instance sending from its VMAC: the source to put there (its configured one, or null for
   * the base's link-local address); undefined when none is needed.
   */
  ipv6Source?: string | null;
}

export interface VmacManagerDeps {
  vmacs: KernelVmacs;
  /** use_ipvlan's links (ipvlan-manager.ts), made and removed alongside the VMACs. */
  ipvlans?: KernelIpvlans;
  sysctls: Sysctls;
  addresses: Pick<KernelAddresses, 'add' | 'linkLocalAddress' | 'list'>;
  indexOf(ifname: string): number | undefined;
  /** The interfaces the kernel has now (a name is free only if none has it). */
  linkNames(): Promise<string[]>;
  logger: Logger;
}

const keyOf = (instance: string, base: string, family: VmacFamily) => `${instance}\0${base}\0${family}`;

export class VmacManager {
  private readonly records = new Map<string, VmacRecord>();
  private readonly policy: VmacSysctls;
  /** Instances releasing make-before-break whose VMACs answer no ARP meanwhile. */
  private readonly arpQuiet = new Set<string>();
  private arpChain: Promise<void> = Promise.resolve();

  private readonly ipvlans: IpvlanManager | null;

  constructor(private readonly deps: VmacManagerDeps) {
    this.policy = new VmacSysctls(deps.sysctls);
    this.ipvlans = deps.ipvlans ? new IpvlanManager({ ...deps, ipvlans: deps.ipvlans }) : null;
  }

  /** The ipvlans in use (status, tests). */
  ipvlanList(): IpvlanStatusEntry[] {
    return this.ipvlans?.list() ?? [];
  }

  /**
   * The instance's IPv4 VMACs answer ARP or not (VmacSysctls.setArpQuiet says why). Only an
   * instance that was quieted is given its ARP back; the writes run in order, as two writes of one
   * key must not overtake each other in the thread pool.
   */
  setArpQuiet(instance: string, quiet: boolean): Promise<void> {
    if (quiet === this.arpQuiet.has(instance)) return this.arpChain;
    if (quiet) this.arpQuiet.add(instance);
    else this.arpQuiet.delete(instance);
    this.arpChain = this.arpChain.then(() => this.applyArpQuiet(instance, quiet));
    return this.arpChain;
  }

  private async applyArpQuiet(instance: string, quiet: boolean): Promise<void> {
    for (const record of this.records.values()) {
      if (record.instance !== instance || record.family !== 'ipv4') continue;
      // A failure is logged at debug: the VMAC may be going away with its base.
      for (const notice of await this.policy.setArpQuiet(record.name, quiet))
        this.deps.logger.debug({ vmac: record.name }, notice);
    }
  }

  /** Whether any plan needs a VMAC (use_vmac, use_vmac_addr, an address line's use_vmac). */
  wants(plans: readonly InstancePlan[], config: VrrpdConfig): boolean {
    return (
      plans.some((plan) => this.wantedBy(plan, config).length > 0) ||
      (this.ipvlans?.wants(plans) ?? false) ||
      this.ipvlanList().length > 0
    );
  }

  /** The VMACs in use: name, base and MAC (status, tests). */
  list(): Array<{ instance: string; name: string; base: string; mac: string }> {
    return [...this.records.values()].map(({ instance, name, base, mac }) => ({ instance, name, base, mac }));
  }

  /** The VMACs the plans need, created or adopted now; the plans rewritten onto them. */
  async prepare(plans: readonly InstancePlan[], config: VrrpdConfig): Promise<InstancePlan[]> {
    const onVmacs = await this.prepareVmacs(plans, config);
    return this.ipvlans ? this.ipvlans.prepare(onVmacs, config) : onVmacs;
  }

  private async prepareVmacs(plans: readonly InstancePlan[], config: VrrpdConfig): Promise<InstancePlan[]> {
    const wanted = plans.flatMap((plan) => this.wantedBy(plan, config));
    if (wanted.length === 0) return [...plans];
    const { vmacs } = this.deps;
    let links: MacvlanLink[] = [];
    try {
      links = await vmacs.list();
    } catch (error) {
      say(this.deps.logger, LOG.vmacListFailed, { what: 'macvlan interfaces', err: errorMessage(error) });
    }
    let existing = new Set<string>();
    try {
      existing = new Set(await this.deps.linkNames());
    } catch (error) {
      say(this.deps.logger, LOG.vmacListFailed, { what: 'interfaces', err: errorMessage(error) });
    }
    for (const want of wanted) {
      const record = this.records.get(want.key);
      if (record && record.mac === want.mac && record.configuredName === want.configuredName) continue;
      if (record) await this.removeRecord(record);
      await this.create(want, links, existing);
    }
    return plans.map((plan) => planOnVmacs(plan, this.vmacsOf(plan)));
  }

  /** After a reload: the VMACs of instances that left (or no longer want one) go. */
  async release(plans: readonly InstancePlan[], config: VrrpdConfig): Promise<void> {
    const keep = new Set(plans.flatMap((plan) => this.wantedBy(plan, config).map((w) => w.key)));
    for (const record of [...this.records.values()]) {
      if (!keep.has(record.key)) await this.removeRecord(record);
    }
    await this.ipvlans?.release(plans, config);
  }

  /** Stop: every VMAC goes, then the sysctls (keepalived restores rp_filter first; order does not matter here). */
  async stopAll(): Promise<void> {
    for (const record of [...this.records.values()]) await this.removeRecord(record);
    await this.ipvlans?.stopAll();
    this.logNotices(reportNotices(await this.policy.restoreAll()));
  }

  /** The macvlans and ipvlans in use, with their base (stacked-restore.ts watches them). */
  stacked(): StackedLinkEntry[] {
    return [
      ...[...this.records.values()].map(({ instance, name, base }) => ({ instance, name, base })),
      ...this.ipvlanList().map(({ instance, name, base }) => ({ instance, name, base })),
    ];
  }

  /**
   * The kernel lost a VMAC or ipvlan of ours (its base was deleted, or someone deleted it): it is
   * made again with the same name, MAC and addresses if its base exists now (keepalived
   * vrrp_if.c recreate_vmac_thread). False when nothing was made (base absent, the link back
   * already, or creation failed: logged).
   */
  async restore(name: string): Promise<boolean> {
    const record = [...this.records.values()].find((r) => r.name === name);
    if (!record) return (await this.ipvlans?.restore(name)) ?? false;
    let links: MacvlanLink[];
    let names: Set<string>;
    try {
      links = await this.deps.vmacs.list();
      names = new Set(await this.deps.linkNames());
    } catch (error) {
      say(this.deps.logger, LOG.vmacListFailed, { what: 'interfaces', err: errorMessage(error) });
      return false;
    }
    if (!names.has(record.base) || names.has(record.name)) return false;
    // Made under its old name (a configured one or the generated one), as keepalived does. A new
    // base has the kernel's defaults: detaching first makes attach set the base's sysctls again.
    this.records.delete(record.key);
    if (record.family === 'ipv4') await this.policy.detach(record.name, record.base);
    await this.create({ ...record.want, configuredName: record.name }, links, names);
    const made = this.records.get(record.key);
    if (!made) {
      this.records.set(record.key, record);
      return false;
    }
    made.configuredName = record.configuredName;
    made.want = record.want;
    return true;
  }

  private vmacsOf(plan: InstancePlan): InstanceVmacs {
    let instance: string | null = null;
    let sendsIpv6 = false;
    const byBase = new Map<string, string>();
    for (const record of this.records.values()) {
      if (record.instance !== plan.name) continue;
      if (record.base === plan.model.interface && record.family === plan.model.family && plan.model.vmac) {
        instance = record.name;
        sendsIpv6 = record.sendsIpv6;
      } else byBase.set(baseKey(record.base, record.family), record.name);
    }
    return { instance, byBase, sendsIpv6 };
  }

  private wantedBy(plan: InstancePlan, config: VrrpdConfig): Wanted[] {
    const { model } = plan;
    const wanted: Wanted[] = [];
    const hasIpv6 = [...model.vips, ...model.excludedVips].some((v) => v.family === 'ipv6');
    const want = (
      base: string,
      family: VmacFamily,
      configuredName: string | null,
      prefix: string,
      ipv6Source?: string | null,
    ) => {
      const key = keyOf(model.name, base, family);
      if (wanted.some((w) => w.key === key)) return;
      wanted.push({
        key,
        instance: model.name,
        base,
        family,
        mac: vmacAddress(model.vrid, family, model.vmac?.mac ?? undefined),
        configuredName,
        prefix,
        vrid: model.vrid,
        disableIpv6: family === 'ipv4' && !hasIpv6,
        ...(ipv6Source !== undefined ? { ipv6Source } : {}),
      });
    };
    const prefix = config.globals.vmacPrefix ?? DEFAULT_VMAC_PREFIX;
    if (model.vmac) {
      const sendsOnVmac = model.family === 'ipv6' && !model.vmac.xmitBase;
      want(
        model.interface,
        model.family,
        model.vmac.name,
        prefix,
        sendsOnVmac ? plan.configuredSource : undefined,
      );
    }
    // use_vmac_addr, or use_vmac on an address line: a VMAC of the address's device.
    const addressPrefix = config.globals.vmacAddrPrefix ?? prefix;
    for (const vip of [...model.vips, ...model.excludedVips]) {
      const device = addressVmacBase(model, vip, model.vmac !== null);
      if (device !== null) want(device, vip.family, null, addressPrefix);
    }
    return wanted;
  }

  private async create(want: Wanted, links: MacvlanLink[], existingNames: Set<string>): Promise<void> {
    const { vmacs } = this.deps;
    const baseIfindex = this.deps.indexOf(want.base);
    const fail = (vmac: string, err: string) =>
      say(this.deps.logger, LOG.vmacFailed, { vmac, base: want.base, instance: want.instance, err });
    if (baseIfindex === undefined) {
      fail(want.configuredName ?? '-', `no interface ${want.base}`);
      return;
    }
    const ours = new Set([...this.records.values()].map((r) => r.name));
    const free = links.filter((l) => !ours.has(l.name));
    const adopt = findAdoptableVmac(free, { baseIfindex, mac: want.mac });
    let name: string | null = adopt?.name ?? null;
    if (!adopt) {
      const taken = (candidate: string) => ours.has(candidate) || existingNames.has(candidate);
      const configured = want.configuredName;
      const existing = configured ? links.find((l) => l.name === configured) : undefined;
      if (configured && existing && existing.baseIfindex !== baseIfindex) {
        // keepalived deletes a same-named macvlan on another base and makes its own.
        await this.tryRemove(configured);
        name = configured;
      } else if (configured && !taken(configured)) {
        name = configured;
      } else {
        if (configured)
          fail(
            configured,
            `interface ${configured} already exists and is not our VMAC; using a generated name`,
          );
        name = chooseVmacName(want.prefix, want.vrid, want.family, taken);
      }
    }
    if (!name) {
      fail(want.configuredName ?? want.prefix, 'no free VMAC name');
      return;
    }
    let created: CreatedVmac | undefined;
    try {
      if (!adopt) {
        created = await vmacs.create({ name, baseIfindex, mac: want.mac, mode: 'private' });
        for (const warning of created.warnings) fail(name, warning);
      }
      const record: VmacRecord = {
        key: want.key,
        instance: want.instance,
        name,
        base: want.base,
        mac: want.mac,
        family: want.family,
        configuredName: want.configuredName,
        sendsIpv6: false,
        want,
      };
      this.records.set(want.key, record);
      const ifindex = adopt?.ifindex ?? created?.ifindex;
      if (want.ipv6Source !== undefined && ifindex !== undefined)
        record.sendsIpv6 = await this.linkLocalOnVmac(want, record, baseIfindex, ifindex);
      say(this.deps.logger, LOG.vmacReady, {
        vmac: name,
        base: want.base,
        mac: want.mac,
        how: adopt ? 'adopted' : 'created',
        instance: want.instance,
      });
    } catch (error) {
      fail(name, errorMessage(error));
      return;
    }
    if (want.family === 'ipv4') {
      this.logNotices(await this.policy.attach(name, want.base, { disableIpv6: want.disableIpv6 }));
    }
  }

  /**
   * An IPv6 instance sending from its VMAC needs its source there: keepalived puts a link-local
   * address on the VMAC (the configured source, else the base's). Without one the adverts leave
   * from the base (false).
   */
  private async linkLocalOnVmac(
    want: Wanted,
    record: VmacRecord,
    baseIfindex: number,
    ifindex: number,
  ): Promise<boolean> {
    try {
      const address = want.ipv6Source ?? (await this.deps.addresses.linkLocalAddress(baseIfindex));
      if (!address) {
        say(this.deps.logger, LOG.vmacFailed, {
          vmac: record.name,
          base: want.base,
          instance: want.instance,
          err: 'no link-local address on the base yet: IPv6 adverts leave from the base',
        });
        return false;
      }
      await this.deps.addresses.add({ ifindex, address, prefixLength: 64, scope: 'link', noDad: true });
      return true;
    } catch (error) {
      say(this.deps.logger, LOG.vmacFailed, {
        vmac: record.name,
        base: want.base,
        instance: want.instance,
        err: `link-local address: ${errorMessage(error)}; IPv6 adverts leave from the base`,
      });
      return false;
    }
  }

  private async removeRecord(record: VmacRecord): Promise<void> {
    this.records.delete(record.key);
    await this.tryRemove(record.name);
    say(this.deps.logger, LOG.vmacRemoved, { vmac: record.name });
    if (record.family === 'ipv4') {
      const report = await this.policy.detach(record.name, record.base);
      if (report) this.logNotices(reportNotices(report));
    }
  }

  private async tryRemove(name: string): Promise<void> {
    try {
      await this.deps.vmacs.remove(name);
    } catch (error) {
      say(this.deps.logger, LOG.vmacRemoveFailed, { vmac: name, err: errorMessage(error) });
    }
  }

  private logNotices(notices: readonly string[]): void {
    for (const notice of notices) say(this.deps.logger, LOG.vmacSysctl, { notice });
  }
}

function reportNotices(report: RestoreReport): string[] {
  return [
    ...report.restored.map((key) => `restored ${key}`),
    ...report.keptTheirs.map((key) => `left ${key} as someone changed it since`),
    ...report.failed.map(({ key, error }) => `cannot restore ${key}: ${error}`),
  ];
}
