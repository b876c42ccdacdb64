// What a reload changes, decided as values (src/daemon/reload-diff.ts) before the daemon touches
// anything: kept / leaving / added instances, and per kept instance the address and route deltas.

import { describe, expect, it } from 'vitest';
import { planDaemon, type InstancePlan } from '../../src/daemon/plan.js';
import { diffReload, keptChanges, vipsByAddress } from '../../src/daemon/reload-diff.js';
import { parseOk } from './harness.js';

function instance(name: string, vrid: number, body = ''): string {
  return `
vrrp_instance ${name} {
  interface eth0
  virtual_router_id ${vrid}
  priority 100
  virtual_ipaddress {
    192.0.2.${vrid}/24
  }
${body}
}
`;
}

function plans(text: string): InstancePlan[] {
  return [...planDaemon(parseOk(text)).instances];
}

describe('diffReload', () => {
  it('keeps same-identity instances, restarts changed identities, adds new ones and lets gone ones leave', () => {
    const before = plans(instance('KEEP', 1) + instance('GONE', 2) + instance('MOVED', 3));
    const after = plans(instance('KEEP', 1, '  priority 150') + instance('MOVED', 4) + instance('NEW', 5));
    const diff = diffReload(before, after);
    expect(diff.kept.map((p) => p.name)).toEqual(['KEEP']);
    // The kept entry is the new plan: its new priority is what will run.
    expect(diff.kept[0]!.core.priority).toBe(150);
    expect(diff.leaving).toEqual(['GONE', 'MOVED']);
    expect(diff.added.map((p) => p.name)).toEqual(['MOVED', 'NEW']);
  });

  it('an unchanged configuration keeps everything and adds nothing', () => {
    const text = instance('A', 1) + instance('B', 2);
    const diff = diffReload(plans(text), plans(text));
    expect(diff).toMatchObject({ leaving: [], added: [] });
    expect(diff.kept).toHaveLength(2);
  });
});

describe('keptChanges', () => {
  const base = (vips: string, extra = '') =>
    plans(`
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  priority 100
  virtual_ipaddress {
${vips}
  }
${extra}
}
`)[0]!;

  it('diffs addresses by address, prefix, device and label; held specs follow the new plan', () => {
    const before = base('    192.0.2.10/24\n    192.0.2.11/24');
    const after = base('    192.0.2.10/24 no_track\n    192.0.2.12/24');
    const held = vipsByAddress(before, ['192.0.2.10', '192.0.2.11']);
    const changes = keptChanges(before, after, held);
    expect(changes.removedVips.map((v) => v.address)).toEqual(['192.0.2.11']);
    expect(changes.addedVips.map((v) => v.address)).toEqual(['192.0.2.12']);
    expect(changes.routesChanged).toBe(false);
    // 192.0.2.10 is the same address; it now carries the new spec (no_track), 192.0.2.11 the old one.
    expect(changes.held.map((v) => [v.address, v.noTrack])).toEqual([
      ['192.0.2.10', true],
      ['192.0.2.11', false],
    ]);
  });

  it('a changed scope, label or use_vmac replaces the address; other options leave it (as keepalived)', () => {
    const before = base(
      '    192.0.2.10/24\n    192.0.2.11/24\n    192.0.2.12/24\n    192.0.2.13/24 brd 192.0.2.255',
    );
    const after = base(
      '    192.0.2.10/24 scope link\n    192.0.2.11/24 label eth0:vip\n    192.0.2.12/24 use_vmac\n    192.0.2.13/24',
    );
    const changes = keptChanges(before, after, []);
    expect(changes.removedVips.map((v) => v.address)).toEqual(['192.0.2.10', '192.0.2.11', '192.0.2.12']);
    expect(changes.addedVips.map((v) => [v.address, v.scope, v.label, v.useVmac === true])).toEqual([
      ['192.0.2.10', 'link', null, false],
      ['192.0.2.11', null, 'eth0:vip', false],
      ['192.0.2.12', null, null, true],
    ]);
    // No scope and `scope global` are the same scope.
    const global = base('    192.0.2.10/24 scope global');
    expect(keptChanges(base('    192.0.2.10/24'), global, []).removedVips).toEqual([]);
  });

  it('a route that only moved to another line is not a change; a new one is', () => {
    const route = '  virtual_routes {\n    198.51.100.0/24 via 192.0.2.1\n  }';
    const before = base('    192.0.2.10/24', route);
    const moved = base('    192.0.2.10/24', `\n\n${route}`);
    const changed = base('    192.0.2.10/24', route.replace('198.51.100.0/24', '203.0.113.0/24'));
    expect(keptChanges(before, moved, []).routesChanged).toBe(false);
    expect(keptChanges(before, changed, []).routesChanged).toBe(true);
  });
});
