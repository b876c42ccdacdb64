// `vrrpctl status INSTANCE`: every field of one instance, including trackers, counters and drops.

import { ellipsize, paint, renderTable, type CellStyle, type Column } from './text-table.js';
import { ageSince, formatSeconds, healthStyle, stateStyle } from './format-values.js';
import type { InstanceStatus } from './status-types.js';

interface DetailOptions {
  now: number;
  color: boolean;
  width?: number;
}

const LABEL_WIDTH = 22;
const INDENT = '  ';

const TRACKER_COLUMNS: Column[] = [
  { header: 'Kind' },
  { header: 'Name', squeeze: { order: 1, minWidth: 10 } },
  { header: 'Status' },
  { header: 'Weight', align: 'right' },
  { header: 'Now', align: 'right' },
  { header: 'Streak', align: 'right' },
];

/** Signed, as keepalived prints weights. */
function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

/** vrrp_script result streak: "3 ok" / "2 failed"; "-" for trackers without runs. */
function streak(successes: number | null, failures: number | null): string {
  if (successes === null || failures === null) return '-';
  if (successes > 0) return `${successes} ok`;
  return failures > 0 ? `${failures} failed` : '-';
}

export function formatInstanceDetail(instance: InstanceStatus, options: DetailOptions): string {
  const width = options.width ?? 80;
  const valueWidth = width - INDENT.length - LABEL_WIDTH;
  const lines: string[] = [paint(`Instance ${ellipsize(instance.name, width - 9)}`, 'bold', options.color)];
  // Label/value lines; `styled` colours the whole value after it has been cut to fit.
  const field = (label: string, value: string, style?: CellStyle): void => {
    lines.push(
      `${INDENT}${label.padEnd(LABEL_WIDTH)}${paint(ellipsize(value, valueWidth), style, options.color)}`,
    );
  };
  const continuation = (value: string): void => {
    lines.push(`${INDENT}${' '.repeat(LABEL_WIDTH)}${ellipsize(value, valueWidth)}`);
  };
  const counter = (label: string, value: number): void => {
    lines.push(`${INDENT}${INDENT}${label.padEnd(LABEL_WIDTH - INDENT.length)}${String(value).padStart(10)}`);
  };

  field('State', instance.state, stateStyle(instance.state));
  field('Since', `${instance.lastTransition} (${ageSince(instance.lastTransition, options.now)} ago)`);
  field('Reason', instance.lastTransitionReason === '' ? '-' : instance.lastTransitionReason);
  field('Interface', instance.interface);
  instance.vmacs.forEach((vmac, index) => {
    const text = `${vmac.name} on ${vmac.base}, ${vmac.mac}`;
    if (index === 0) field('VMAC', text);
    else continuation(text);
  });
  for (const ipvlan of instance.ipvlans)
    field(
      'IPVLAN',
      `${ipvlan.name} on ${ipvlan.base}, ${ipvlan.kind}${ipvlan.address ? `, ${ipvlan.address}` : ''}`,
    );
  field('VRID', `${instance.vrid} (VRRPv${instance.version})`);
  field('Priority', `${instance.priority} configured, ${instance.effectivePriority} effective`);
  field('Master', instance.masterAddress ?? '-');
  field('Advert interval', formatSeconds(instance.advertInterval));
  field('Master down interval', formatSeconds(instance.masterDownInterval));
  if (instance.vips.length === 0) field('VIPs', '-');
  instance.vips.forEach((vip, index) => (index === 0 ? field('VIPs', vip) : continuation(vip)));

  if (instance.trackers.length === 0) {
    field('Trackers', 'none');
  } else {
    lines.push(`${INDENT}Trackers`);
    const rows = instance.trackers.map((tracker) => [
      tracker.kind,
      tracker.name,
      { text: tracker.status, style: healthStyle(tracker.status) },
      signed(tracker.weight),
      signed(tracker.contribution),
      streak(tracker.consecutiveSuccesses, tracker.consecutiveFailures),
    ]);
    lines.push(...renderTable(TRACKER_COLUMNS, rows, { width, color: options.color, indent: 4 }));
  }

  const { counters } = instance;
  lines.push(`${INDENT}Counters`);
  counter('Adverts received', counters.advertsRx);
  counter('Adverts sent', counters.advertsTx);
  counter('Became master', counters.becameMaster);
  counter('Released master', counters.releasedMaster);
  counter('Priority 0 received', counters.priorityZeroRx);
  counter('Priority 0 sent', counters.priorityZeroTx);

  const drops = Object.entries(counters.drops)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  if (drops.length === 0) {
    field('Drops', 'none');
  } else {
    lines.push(`${INDENT}Drops`);
    for (const [reason, count] of drops) counter(ellipsize(reason, LABEL_WIDTH - INDENT.length - 1), count);
  }
  return `${lines.join('\n')}\n`;
}
