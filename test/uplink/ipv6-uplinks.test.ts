// IPv6 uplink groups without a kernel: the family a netgwm.yml gets and the addresses that must
// agree with it, IPv4 and IPv6 groups sharing tables and marks, the ICMPv6 echo codec, and the
// ICMPv6 prober against a scripted raw socket.

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DiagnosticSink, formatDiagnostic } from '../../src/config/report/diagnostics.js';
import { parseNetgwmConfig } from '../../src/config/netgwm/parse.js';
import type { NetgwmConfig } from '../../src/config/netgwm/types.js';
import { checkUplinkGroupConflicts } from '../../src/config/netgwm/uplink-group.js';
import type { UplinkGroupDecl } from '../../src/config/model/types.js';
import { ipv6ToBytes } from '../../src/packet/address6.js';
import { decodeIcmp6Message, encodeEcho6Request } from '../../src/packet/icmp6-echo.js';
import { conntrackFlushArgv } from '../../src/uplink/conntrack.js';
import { openIcmp6Prober } from '../../src/kernel/icmp6-prober.js';
import type { IcmpRawSocket, IcmpRawSocketModule } from '../../src/kernel/icmp-prober.js';

const FILE = '/etc/netgwm/netgwm6.yml';

function parse(text: string): { config: NetgwmConfig | null; messages: string[] } {
  const sink = new DiagnosticSink();
  const config = parseNetgwmConfig(text, FILE, sink);
  return { config, messages: sink.diagnostics.flatMap((d) => formatDiagnostic(d)) };
}

describe('IPv6 groups in netgwm.yml', () => {
  it('takes the family from the gateways, canonical addresses, link-local next hops with a dev', () => {
    const { config, messages } = parse(`gateways:
  isp1: {ip: '2001:DB8:1:0::1', dev: eth1, priority: 1}
  isp2: {ip: 'fe80::2', dev: eth2, priority: 2}
  isp3: {dev: ppp0, priority: 3}
check_sites: ['2001:db8:ff:0:0::10', six.example]
`);
    expect(messages).toEqual([]);
    expect(config?.family).toBe('ipv6');
    expect(config?.gateways.map((g) => g.ip)).toEqual(['2001:db8:1::1', 'fe80::2', null]);
    expect(config?.checkSites).toEqual(['2001:db8:ff::10', 'six.example']);
    // A group of dev-only gateways takes the family of its check sites.
    expect(
      parse(`gateways:\n  a: {dev: ppp0, priority: 1}\ncheck_sites: ['2001:db8::1']\n`).config?.family,
    ).toBe('ipv6');
  });

  it('refuses mixed families and a link-local gateway without dev, on the lines to change', () => {
    const { config, messages } = parse(`gateways:
  isp1: {ip: '2001:db8:1::1', dev: eth1, priority: 1}
  isp2: {ip: 198.51.100.1, priority: 2}
  isp3: {ip: 'fe80::3', priority: 3}
check_sites: [192.0.2.10]
vrrpd:
  gateways:
    isp1: {track_ip: [203.0.113.7]}
`);
    expect(config).toBeNull();
    const hint = '  hint: one group per address family: put IPv4 and IPv6 uplinks in two uplink_groups';
    expect(messages).toEqual([
      `${FILE}:3: error: gateway isp2 is not IPv6 as the group's first gateway (key path: gateways.isp2.ip) [VRRPD_E_CONFIG_VALUE]`,
      hint,
      `${FILE}:4: error: gateway isp3 is link-local (fe80::3): it needs a dev (key path: gateways.isp3.ip) [VRRPD_E_CONFIG_MISSING]`,
      `${FILE}:1: error: check site 192.0.2.10 is not IPv6 as the group's gateways (key path: check_sites) [VRRPD_E_CONFIG_VALUE]`,
      hint,
      `${FILE}:7: error: track_ip 203.0.113.7 is not IPv6 as the group's gateways (key path: vrrpd.gateways.isp1.track_ip) [VRRPD_E_CONFIG_VALUE]`,
      hint,
    ]);
  });

  it('lets an IPv4 and an IPv6 group share route_table, probe tables and marks', () => {
    const v4 = parse(`gateways:\n  a: {ip: 198.51.100.1, priority: 1}\ncheck_sites: [192.0.2.10]\n`)
      .config as NetgwmConfig;
    const v6 = parse(
      `gateways:\n  a: {ip: '2001:db8::1', priority: 1}\ncheck_sites: ['2001:db8::10']\nvrrpd:\n  state_file: /var/lib/vrrpd/six.json\n  mode_file: null\n  status_dir: null\n`,
    ).config as NetgwmConfig;
    const decl = (name: string) =>
      ({ name, source: { file: '/etc/keepalived.conf', line: 1 } }) as UplinkGroupDecl;
    const sink = new DiagnosticSink();
    expect(
      checkUplinkGroupConflicts(
        [
          { decl: decl('V4'), config: v4 },
          { decl: decl('V6'), config: v6 },
        ],
        sink,
      ),
    ).toEqual(new Set());
    expect(sink.diagnostics).toEqual([]);
    // Two IPv6 groups on the same tables still clash.
    const clash = checkUplinkGroupConflicts(
      [
        { decl: decl('A'), config: v6 },
        { decl: decl('B'), config: { ...v6, stateFile: '/var/lib/vrrpd/b.json' } },
      ],
      sink,
    );
    expect(clash).toEqual(new Set(['B']));
  });

  it('flushes IPv6 flows with conntrack -f ipv6', () => {
    expect(conntrackFlushArgv('udp', '2001:db8:1::14', 'ipv6')).toEqual([
      'conntrack',
      '-D',
      '-f',
      'ipv6',
      '-p',
      'udp',
      '--reply-dst',
      '2001:db8:1::14',
    ]);
  });
});

describe('ICMPv6 echo', () => {
  const request = encodeEcho6Request({ identifier: 0x1234, sequence: 7, payload: Buffer.from('cookie!!') });

  it('encodes type 128 and leaves the checksum to the kernel', () => {
    expect([...request.subarray(0, 8)]).toEqual([128, 0, 0, 0, 0x12, 0x34, 0, 7]);
  });

  it('decodes replies and errors quoting our request; ignores neighbour discovery', () => {
    const reply = Buffer.from(request);
    reply[0] = 129;
    expect(decodeIcmp6Message(reply, '2001:DB8::10')).toMatchObject({
      kind: 'echoReply',
      source: '2001:db8::10',
      identifier: 0x1234,
      sequence: 7,
    });
    const quotedHeader = Buffer.alloc(40);
    quotedHeader[0] = 0x60;
    quotedHeader[6] = 58;
    ipv6ToBytes('2001:db8::10').copy(quotedHeader, 24);
    const error = Buffer.concat([Buffer.from([1, 3, 0, 0, 0, 0, 0, 0]), quotedHeader, request]);
    expect(decodeIcmp6Message(error, 'fe80::1')).toEqual({
      kind: 'error',
      source: 'fe80::1',
      icmpType: 1,
      code: 3,
      destination: '2001:db8::10',
      identifier: 0x1234,
      sequence: 7,
    });
    expect(decodeIcmp6Message(Buffer.from([135, 0, 0, 0, 0, 0, 0, 0]), 'fe80::1').kind).toBe('ignored');
    expect(decodeIcmp6Message(Buffer.from([129]), 'fe80::1').kind).toBe('ignored');
  });
});

/** A raw ICMPv6 socket that answers every echo request from the address it was sent to. */
class EchoingSocket extends EventEmitter implements IcmpRawSocket {
  options: Array<[number, number, number]> = [];
  setOption(level: number, option: number, value: number): void {
    this.options.push([level, option, value]);
  }
  send(
    buffer: Buffer,
    _offset: number,
    _length: number,
    address: string,
    before: () => void,
    after: (error: Error | null, bytes: number) => void,
  ): void {
    before();
    after(null, buffer.length);
    const reply = Buffer.from(buffer);
    reply[0] = 129;
    // inet_ntop spells the source its own way; the prober must still match it.
    setImmediate(() => this.emit('message', reply, address.replace('2001:db8::', '2001:0db8:0::')));
  }
  close(): void {
    this.emit('close');
  }
}

describe('ICMPv6 prober', () => {
  it('opens an IPPROTO_ICMPV6 socket of the IPv6 family, marks it, and matches replies', async () => {
    const socket = new EchoingSocket();
    const created: Array<{ protocol: number; addressFamily?: number }> = [];
    const module: IcmpRawSocketModule = {
      createSocket: (options) => {
        created.push(options);
        return socket;
      },
      AddressFamily: { IPv4: 1, IPv6: 2 },
    };
    const prober = openIcmp6Prober({ fwmark: 0x76720001 }, module);
    try {
      expect(created).toMatchObject([{ protocol: 58, addressFamily: 2 }]);
      expect(socket.options).toEqual([[1, 36, 0x76720001]]);
      const results = await prober.echo('2001:DB8::10', 2, 1000);
      expect(results.map((r) => r.outcome)).toEqual(['reply', 'reply']);
      expect((await prober.echo('192.0.2.1', 1, 100))[0]?.outcome).toBe('sendError');
    } finally {
      prober.close();
    }
  });
});
