// unicast_fault_no_peer (keepalived vrrp.c vrrp_complete_instance): without any unicast peer the
// instance is held in FAULT rather than run with multicast; keepalived -t says nothing, vrrpd warns.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config.js';
import { modelToConfigText } from '../../src/config/render/serialize.js';

const text = readFileSync(new URL('corpus/37-unicast-fault-no-peer.conf', import.meta.url), 'utf8');

describe('unicast_fault_no_peer', () => {
  it('reads corpus 37: FAULT for the empty peer list, nothing for the peered one', () => {
    const result = parseConfigText(text, { file: '/etc/keepalived/keepalived.conf' });
    expect(result.ok).toBe(true);
    expect(result.config.instances.map((i) => [i.name, i.faultNoPeer, i.unicastPeers])).toEqual([
      ['VI_EMPTY', true, null],
      ['VI_PEERED', false, ['198.51.100.2']],
    ]);
    expect(result.diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual(['10 VRRPD_W_CONFIG_SUSPICIOUS']);
    expect(result.diagnostics[0]?.message).toContain('held in FAULT');
  });

  it('the dump writes it back for the faulted instance', () => {
    const again = parseConfigText(modelToConfigText(parseConfigText(text).config)).config;
    expect(again.instances.map((i) => i.faultNoPeer)).toEqual([true, false]);
  });
});
