// keepalived's old_unicast_checksum [never] (vrrp_parser.c vrrp_unicast_chksum_handler): the bare
// keyword means the pre-1.3.6 checksum, `never` refuses the automatic switch, any other word is
// reported and ignored; it is one of the unicast keywords (VRRP_FLAG_UNICAST_CONFIGURED).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config.js';
import { modelToConfigText } from '../../src/config/render/serialize.js';
import { planDaemon } from '../../src/daemon/plan.js';

const text = readFileSync(new URL('corpus/35-old-unicast-checksum.conf', import.meta.url), 'utf8');

describe('old_unicast_checksum', () => {
  it('reads corpus 35 as keepalived does', () => {
    const result = parseConfigText(text, { file: '/etc/keepalived/keepalived.conf' });
    expect(result.ok).toBe(true);
    expect(Object.fromEntries(result.config.instances.map((i) => [i.name, i.oldUnicastChecksum]))).toEqual({
      VI_LEGACY: 'always',
      VI_CURRENT: 'never',
      VI_TYPO: 'detect',
      VI_NO_PEER: 'always',
    });
    expect(result.diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual([
      '46 VRRPD_W_CONFIG_VALUE',
      '58 VRRPD_W_CONFIG_SUSPICIOUS',
    ]);
    expect(result.diagnostics[1]?.message).toContain('old_unicast_checksum has no unicast peer');
    expect(result.config.instances.find((i) => i.name === 'VI_NO_PEER')?.unicastPeers).toBeNull();
  });

  it('plans the old form with the global multicast group, for VRRPv3 over IPv4 only', () => {
    const withGroup = text.replace(
      'vrrp_instance VI_LEGACY',
      'global_defs {\n  vrrp_mcast_group4 224.0.0.19\n}\nvrrp_instance VI_LEGACY',
    );
    const plan = planDaemon(parseConfigText(withGroup).config);
    expect(plan.instances.map((p) => p.oldUnicastChecksum)).toEqual([
      { mode: 'always', group: '224.0.0.19' },
      { mode: 'never', group: '224.0.0.19' },
      { mode: 'detect', group: '224.0.0.19' },
      { mode: 'always', group: '224.0.0.19' },
    ]);
    const v2 = planDaemon(parseConfigText(text.replaceAll('version 3', 'version 2')).config);
    expect(v2.instances.every((p) => p.oldUnicastChecksum === null)).toBe(true);
  });

  it('the dump writes it back', () => {
    const config = parseConfigText(text).config;
    const again = parseConfigText(modelToConfigText(config)).config;
    expect(again.instances.map((i) => i.oldUnicastChecksum)).toEqual(['always', 'never', 'detect', 'always']);
  });
});
