// Human output of vrrpctl: the `status` summary (in the spirit of FRR's `show vrrp` summary), the
// uplinks table and `stats`. Everything is a pure function of a snapshot, `now` and the terminal, so
// the exact text is testable; colour is the caller's decision (only on a TTY).

import { renderTable, type Column } from './text-table.js';
import { ageSince, countVips, formatAge, healthStyle, stateStyle, summarizeVips } from './format-values.js';
import type { StatsSnapshot, StatusSnapshot, UplinkGroupStatus, UplinkStatus } from './status-types.js';

export { formatInstanceDetail } from './format-detail.js';

export interface FormatOptions {
  /** Milliseconds since the epoch, for relative ages. */
  now: number;
  color: boolean;
  /** Terminal width; 80 when unknown. */
  width?: number;
}

export const DEFAULT_WIDTH = 80;

// When 80 columns are not enough, long instance names give way first, then the VIP list (down to
// a count), then interface names; the master address is cut last since a cut address misleads.
const INSTANCE_COLUMNS: Column[] = [
  { header: 'Instance', squeeze: { order: 1, minWidth: 10 } },
  { header: 'Interface', squeeze: { order: 3, minWidth: 9 } },
  { header: 'VRID', align: 'right' },
  { header: 'State' },
  { header: 'Prio' },
  { header: 'Master', squeeze: { order: 4, minWidth: 15 } },
  { header: 'VIPs', squeeze: { order: 2, minWidth: 7 } },
  { header: 'Since' },
];

/** The summary of every instance, then the uplink groups when there are any. */
export function formatStatusSummary(snapshot: StatusSnapshot, options: FormatOptions): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const lines: string[] = [];
  if (snapshot.instances.length === 0) {
    lines.push('No VRRP instances are configured.');
  } else {
    const rows = snapshot.instances.map((instance) => [
      instance.name,
      instance.interface,
      String(instance.vrid),
      {
        text: instance.maintenance ? `${instance.state} (maint)` : instance.state,
        style: stateStyle(instance.state),
      },
      instance.priorityOverride
        ? `${instance.priority}→${instance.priorityOverride.priority}/${instance.effectivePriority}`
        : `${instance.priority}/${instance.effectivePriority}`,
      instance.masterAddress ?? '-',
      { text: summarizeVips(instance.vips), shorter: [countVips(instance.vips)] },
      ageSince(instance.lastTransition, options.now),
    ]);
    lines.push(...renderTable(INSTANCE_COLUMNS, rows, { width, color: options.color }));
  }
  lines.push(...formatUplinkSection(snapshot, options));
  return `${lines.join('\n')}\n`;
}

/** `Uplink group ISP: master, follows instance VI_1, active isp1, 2 switches`. */
export function formatUplinkGroupHeading(group: UplinkGroupStatus): string {
  if (group.error !== null) return `Uplink group ${group.name}: ERROR ${group.error}`;
  const parts: string[] = [group.role];
  if (group.follows !== null) parts.push(`follows ${group.follows}`);
  parts.push(`active ${group.active ?? 'none'}`);
  if (group.pinned !== null) parts.push(`pinned to ${group.pinned}`);
  parts.push(`${group.switches} switch${group.switches === 1 ? '' : 'es'}`);
  if (group.routeErrors > 0)
    parts.push(`${group.routeErrors} failed route write${group.routeErrors === 1 ? '' : 's'}`);
  return `Uplink group ${group.name}: ${parts.join(', ')}`;
}

/** Per uplink group: a heading (role, whom it follows, switches), then its gateways. */
function formatUplinkSection(snapshot: StatusSnapshot, options: FormatOptions): string[] {
  const names = [...snapshot.uplinkGroups.map((group) => group.name)];
  for (const uplink of snapshot.uplinks) if (!names.includes(uplink.group)) names.push(uplink.group);
  const lines: string[] = [];
  for (const name of names) {
    const group = snapshot.uplinkGroups.find((g) => g.name === name);
    const uplinks = snapshot.uplinks.filter((uplink) => uplink.group === name);
    lines.push('');
    if (group) lines.push(formatUplinkGroupHeading(group));
    if (uplinks.length > 0) lines.push(...formatUplinkLines(uplinks, options));
  }
  return lines;
}

const UPLINK_COLUMNS: Column[] = [
  { header: 'Uplink', squeeze: { order: 1, minWidth: 8 } },
  { header: 'Gateway', squeeze: { order: 3, minWidth: 15 } },
  { header: 'Dev', squeeze: { order: 2, minWidth: 6 } },
  { header: 'Prio', align: 'right' },
  { header: 'State' },
  // The last RTT ± dpinger's jitter (the RTT's standard deviation over loss_window rounds): one
  // column, so the table still fits 80 columns.
  { header: 'RTT±jitter', align: 'right' },
  { header: 'Loss', align: 'right' },
  { header: 'Healthy' },
  { header: 'Active' },
];

function milliseconds(ms: number): string {
  return ms >= 100 ? String(Math.round(ms)) : String(Number(ms.toFixed(1)));
}

/** `1.2±0.3ms`; the RTT alone without a jitter; `-` without replies. */
function formatRtt(rttMs: number | null, jitterMs: number | null): string {
  if (rttMs === null) return '-';
  return jitterMs === null
    ? `${milliseconds(rttMs)}ms`
    : `${milliseconds(rttMs)}±${milliseconds(jitterMs)}ms`;
}

function formatLoss(loss: number): string {
  return `${Math.round(loss * 100)}%`;
}

function formatUplinkLines(uplinks: UplinkStatus[], options: FormatOptions): string[] {
  const rows = uplinks.map((uplink) => [
    uplink.id,
    uplink.ip,
    uplink.dev,
    String(uplink.priority),
    {
      text: uplink.alarm === null ? uplink.state : `${uplink.state} ${uplink.alarm}!`,
      style: healthStyle(uplink.state),
    },
    formatRtt(uplink.rttMs, uplink.jitterMs),
    formatLoss(uplink.loss),
    ageSince(uplink.healthySince, options.now),
    uplink.active ? { text: '*', style: 'green' as const } : '',
  ]);
  return renderTable(UPLINK_COLUMNS, rows, { width: options.width ?? DEFAULT_WIDTH, color: options.color });
}

/** The uplinks table on its own. */
export function formatUplinks(uplinks: UplinkStatus[], options: FormatOptions): string {
  if (uplinks.length === 0) return 'No uplinks are configured.\n';
  return `${formatUplinkLines(uplinks, options).join('\n')}\n`;
}

const STATS_COLUMNS: Column[] = [
  { header: 'Instance', squeeze: { order: 1, minWidth: 10 } },
  { header: 'Adv-Rx', align: 'right' },
  { header: 'Adv-Tx', align: 'right' },
  { header: 'Became-M', align: 'right' },
  { header: 'Released', align: 'right' },
  { header: 'Prio0-Rx', align: 'right' },
  { header: 'Prio0-Tx', align: 'right' },
  { header: 'Drops', align: 'right' },
];

const DROP_COLUMNS: Column[] = [
  { header: 'Instance', squeeze: { order: 1, minWidth: 10 } },
  { header: 'Reason', squeeze: { order: 2, minWidth: 10 } },
  { header: 'Count', align: 'right' },
];

function sumValues(record: Record<string, number>): number {
  return Object.values(record).reduce((sum, value) => sum + value, 0);
}

/** `vrrpctl stats`: one row of counters per instance, then the drops broken down by reason. */
export function formatStats(stats: StatsSnapshot, options: FormatOptions): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const since = Date.parse(stats.since);
  const age = Number.isNaN(since) ? '' : ` (${formatAge(options.now - since)} ago)`;
  const lines = [`Counters since ${stats.since}${age}`];
  if (stats.instances.length === 0) {
    lines.push('No VRRP instances are configured.');
    return `${lines.join('\n')}\n`;
  }
  const rows = stats.instances.map(({ name, counters }) => [
    name,
    String(counters.advertsRx),
    String(counters.advertsTx),
    String(counters.becameMaster),
    String(counters.releasedMaster),
    String(counters.priorityZeroRx),
    String(counters.priorityZeroTx),
    String(sumValues(counters.drops)),
  ]);
  lines.push(...renderTable(STATS_COLUMNS, rows, { width, color: options.color }));

  const dropRows = stats.instances.flatMap(({ name, counters }) =>
    Object.entries(counters.drops)
      .filter(([, count]) => count > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([reason, count]) => [name, reason, String(count)]),
  );
  if (dropRows.length > 0) {
    lines.push('', 'Drops by reason');
    lines.push(...renderTable(DROP_COLUMNS, dropRows, { width, color: options.color, indent: 2 }));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One line for systemd's STATUS= (shown by `systemctl status vrrpd`): instance counts by state,
 * then the active uplink when there are uplinks. Short enough for any terminal.
 */
export function formatStatusLine(snapshot: StatusSnapshot): string {
  const { instances, uplinks } = snapshot;
  const noun = instances.length === 1 ? 'instance' : 'instances';
  const byState = (['MASTER', 'BACKUP', 'FAULT', 'INIT'] as const)
    .map((state) => [state, instances.filter((instance) => instance.state === state).length] as const)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${state}`);
  let line = instances.length === 0 ? 'no instances' : `${instances.length} ${noun}: ${byState.join(', ')}`;
  if (uplinks.length > 0) {
    const active = uplinks.filter((uplink) => uplink.active).map((uplink) => uplink.id);
    const healthy = uplinks.filter((uplink) => uplink.state === 'UP').length;
    line += `; uplinks ${healthy}/${uplinks.length} up, active ${active.length > 0 ? active.join(',') : 'none'}`;
  }
  return line;
}
