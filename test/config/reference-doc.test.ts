// docs/config-reference.md must describe the parser that exists: its generated part is compared
// with what the keyword tables render now, and every keyword and diagnostic code must appear.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DiagnosticCodes } from '../../src/config/report/diagnostics.js';
import { ALL_TABLES } from '../../src/config/keywords/index.js';
import {
  NETGWM_GENERATED_BEGIN,
  NETGWM_GENERATED_END,
  renderNetgwmReference,
} from '../../src/config/netgwm/docs.js';
import {
  GENERATED_BEGIN,
  GENERATED_END,
  renderKeywordReference,
} from '../../src/config/render/reference-table.js';

const doc = readFileSync(fileURLToPath(new URL('../../docs/config-reference.md', import.meta.url)), 'utf8');

describe('docs/config-reference.md', () => {
  it('contains the keyword tables exactly as the parser’s tables render them', () => {
    const start = doc.indexOf(GENERATED_BEGIN);
    const end = doc.indexOf(GENERATED_END);
    expect(start, 'generated section start marker').toBeGreaterThanOrEqual(0);
    expect(end, 'generated section end marker').toBeGreaterThan(start);
    // On failure: replace the section with the output of renderKeywordReference().
    expect(doc.slice(start, end + GENERATED_END.length)).toBe(renderKeywordReference());
  });

  it('contains the netgwm.yml vrrpd: section exactly as its table renders it, inside the uplinks section', () => {
    const start = doc.indexOf(NETGWM_GENERATED_BEGIN);
    const end = doc.indexOf(NETGWM_GENERATED_END);
    expect(start, 'generated section start marker').toBeGreaterThan(
      doc.indexOf('## Uplinks (NetGWM compatibility)'),
    );
    expect(end, 'generated section end marker').toBeGreaterThan(start);
    // On failure: replace the section with the output of renderNetgwmReference().
    expect(doc.slice(start, end + NETGWM_GENERATED_END.length)).toBe(renderNetgwmReference());
    // The differences from NetGWM the issue asks to document.
    for (const topic of [
      '`NaN`',
      'no shell',
      'damping on failover',
      'no switch between gateways of equal priority',
      'noticed through netlink and repaired at once',
      'retried after 1 s, 2 s, 4 s',
      '`/var/log/vrrpd/netgwm.log`',
      '`/var/lib/netgwm/mode` (runtime pin)',
      '`/run/netgwm/gwstore.yml`',
      'A netgwm.yml problem never stops VRRP',
      'Every failed round counts',
      '`mode` naming no gateway',
      '`check_all_gateways`',
      'rp_filter 0 or 2',
      'must not rewrite the probe marks',
    ])
      expect(doc, topic).toContain(topic);
  });

  it('lists every keyword of every table with its status', () => {
    const labels = {
      supported: 'supported',
      ignored: 'ignored, warning',
      refused: 'refused, error',
    } as const;
    for (const table of ALL_TABLES) {
      for (const spec of table.keywords) {
        const row = new RegExp(`^\\| \`${spec.name}\` \\|.*\\| ${labels[spec.status]} \\|`, 'm');
        expect(doc, `${table.block} ${spec.name}`).toMatch(row);
      }
    }
  });

  it('has a table for every block kind and explains every diagnostic code', () => {
    for (const table of ALL_TABLES) {
      expect(doc).toContain(table.block === 'top level' ? '### Top level' : `### \`${table.block}\``);
    }
    for (const code of Object.values(DiagnosticCodes)) expect(doc).toContain(`| \`${code}\` |`);
  });

  it('covers every keyword the issue names as supported', () => {
    const supported = new Set(
      ALL_TABLES.flatMap((t) =>
        t.keywords.filter((k) => k.status === 'supported').map((k) => `${t.block}:${k.name}`),
      ),
    );
    const required = {
      global_defs: [
        'router_id',
        'enable_script_security',
        'script_user',
        'vrrp_version',
        'vrrp_garp_master_delay',
        'vrrp_garp_master_repeat',
        'vrrp_garp_master_refresh',
        'vrrp_garp_master_refresh_repeat',
        'vrrp_garp_interval',
        'vrrp_startup_delay',
        'vrrp_mcast_group4',
        'vrrp_skip_check_adv_addr',
        'vrrp_check_unicast_src',
        'vrrp_notify_fifo',
        'notify_fifo',
        'vrrp_priority',
        'vrrp_no_swap',
        'vrrp_rt_priority',
        'max_auto_priority',
      ],
      vrrp_instance: [
        'state',
        'interface',
        'virtual_router_id',
        'priority',
        'advert_int',
        'authentication',
        'virtual_ipaddress',
        'virtual_ipaddress_excluded',
        'virtual_routes',
        'virtual_rules',
        'track_interface',
        'track_script',
        'track_file',
        'unicast_src_ip',
        'unicast_peer',
        'unicast_ttl',
        'check_unicast_src',
        'mcast_src_ip',
        'nopreempt',
        'preempt',
        'preempt_delay',
        'garp_master_delay',
        'garp_master_repeat',
        'garp_master_refresh',
        'garp_master_refresh_repeat',
        'notify',
        'notify_master',
        'notify_backup',
        'notify_fault',
        'notify_stop',
        'accept',
        'no_accept',
        'dont_track_primary',
        'version',
      ],
      authentication: ['auth_type', 'auth_pass'],
      vrrp_sync_group: ['group', 'track_interface', 'track_script', 'track_file', 'notify', 'notify_master'],
      'top level': ['global_defs', 'vrrp_instance', 'vrrp_script', 'vrrp_sync_group', 'track_file'],
    };
    for (const [block, names] of Object.entries(required)) {
      for (const name of names) expect(supported.has(`${block}:${name}`), `${block} ${name}`).toBe(true);
    }
  });
});
