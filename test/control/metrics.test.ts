// The exposition is parsed back with a Prometheus text-format parser and checked by value and label,
// never compared as strings.

import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { FamilyBuilder, formatValue, renderExposition } from '../../src/control/exposition.js';
import { createMetricsRegistry } from '../../src/control/metrics.js';
import {
  parseListenAddress,
  startMetricsServer,
  type MetricsServer,
} from '../../src/control/metrics-http.js';
import { loadNative, tcpStreams } from '../../src/kernel/native.js';
import { connect } from 'node:net';
import type { StatusSnapshot } from '../../src/control/status-types.js';
import { sampleStatus } from './fixtures.js';

type Families = Map<string, ParsedFamily>;

async function scrape(source: () => StatusSnapshot): Promise<Families> {
  const text = await createMetricsRegistry(source).metrics();
  return new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
}

/** The value of the one sample whose labels include `labels`; throws if not exactly one matches. */
function sample(families: Families, name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name);
  if (!family) throw new Error(`no metric ${name}`);
  const matches = family.metrics.filter((metric) =>
    Object.entries(labels).every(([key, value]) => metric.labels?.[key] === value),
  );
  if (matches.length !== 1)
    throw new Error(`${matches.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return Number(matches[0]!.value);
}

const VI_LAN = { iname: 'VI_LAN', intf: 'eth0', vrid: '51' };
const VI_WAN = { iname: 'VI_WAN_with_a_rather_long_name', intf: 'enp3s0f1.100', vrid: '52' };

// The exporter's names (mehdy/keepalived-exporter): dashboards and alerts depend on exactly these.
const KEEPALIVED_COUNTERS = [
  'keepalived_advertisements_received_total',
  'keepalived_advertisements_sent_total',
  'keepalived_become_master_total',
  'keepalived_release_master_total',
  'keepalived_priority_zero_received_total',
  'keepalived_priority_zero_sent_total',
  'keepalived_packet_length_errors_total',
  'keepalived_advertisements_interval_errors_total',
  'keepalived_ip_ttl_errors_total',
  'keepalived_invalid_type_received_total',
  'keepalived_address_list_errors_total',
  'keepalived_authentication_invalid_total',
  'keepalived_authentication_mismatch_total',
  'keepalived_authentication_failure_total',
];

describe('keepalived-exporter compatible metrics', () => {
  it('exports keepalived_vrrp_state per VIP with keepalived numbering (MASTER = 2)', async () => {
    const families = await scrape(sampleStatus);
    const state = families.get('keepalived_vrrp_state')!;
    expect(state.type).toBe('GAUGE');
    expect(sample(families, 'keepalived_vrrp_state', { ...VI_LAN, ip_address: '192.0.2.254' })).toBe(2);
    // Each VIP is a series; a VIP on another device carries that device as intf, as keepalived reports it.
    expect(sample(families, 'keepalived_vrrp_state', { ...VI_WAN, ip_address: '198.51.100.254' })).toBe(1);
    expect(
      sample(families, 'keepalived_vrrp_state', {
        iname: VI_WAN.iname,
        intf: 'eth2',
        ip_address: '198.51.100.253',
      }),
    ).toBe(1);
    expect(
      sample(families, 'keepalived_vrrp_state', { iname: VI_WAN.iname, ip_address: '203.0.113.10' }),
    ).toBe(1);
    // No VIPs: one series with an empty address so the state stays visible.
    expect(
      sample(families, 'keepalived_vrrp_state', {
        iname: 'VI_DMZ',
        intf: 'eth3',
        vrid: '53',
        ip_address: '',
      }),
    ).toBe(3);
    expect(state.metrics).toHaveLength(5);
    for (const metric of state.metrics)
      expect(Object.keys(metric.labels!).sort()).toEqual(['iname', 'intf', 'ip_address', 'vrid']);
  });

  it('exports every per-instance counter with iname, intf and vrid, mapping drop reasons to error counters', async () => {
    const families = await scrape(sampleStatus);
    for (const name of KEEPALIVED_COUNTERS) {
      const family = families.get(name);
      expect(family, name).toBeDefined();
      expect(family!.type).toBe('COUNTER');
      expect(family!.metrics).toHaveLength(3);
      for (const metric of family!.metrics)
        expect(Object.keys(metric.labels!).sort()).toEqual(['iname', 'intf', 'vrid']);
    }
    expect(sample(families, 'keepalived_advertisements_received_total', VI_LAN)).toBe(12);
    expect(sample(families, 'keepalived_advertisements_sent_total', VI_LAN)).toBe(3456);
    expect(sample(families, 'keepalived_become_master_total', VI_LAN)).toBe(2);
    expect(sample(families, 'keepalived_release_master_total', VI_LAN)).toBe(1);
    expect(sample(families, 'keepalived_priority_zero_received_total', VI_LAN)).toBe(1);
    expect(sample(families, 'keepalived_priority_zero_sent_total', VI_LAN)).toBe(0);
    expect(sample(families, 'keepalived_authentication_failure_total', VI_LAN)).toBe(1);
    expect(sample(families, 'keepalived_packet_length_errors_total', VI_LAN)).toBe(0);
    expect(sample(families, 'keepalived_advertisements_received_total', VI_WAN)).toBe(98765);
  });

  it('maps each validation-ladder drop reason to its keepalived error counter', async () => {
    const snapshot = sampleStatus();
    snapshot.instances[0]!.counters.drops = {
      length: 1,
      advert_interval: 2,
      ip_ttl: 3,
      type: 4,
      address_mismatch: 5,
      auth_type: 6,
      auth_password: 7,
      checksum: 8,
    };
    const families = await scrape(() => snapshot);
    expect(sample(families, 'keepalived_packet_length_errors_total', VI_LAN)).toBe(1);
    expect(sample(families, 'keepalived_advertisements_interval_errors_total', VI_LAN)).toBe(2);
    expect(sample(families, 'keepalived_ip_ttl_errors_total', VI_LAN)).toBe(3);
    expect(sample(families, 'keepalived_invalid_type_received_total', VI_LAN)).toBe(4);
    expect(sample(families, 'keepalived_address_list_errors_total', VI_LAN)).toBe(5);
    expect(sample(families, 'keepalived_authentication_mismatch_total', VI_LAN)).toBe(6);
    expect(sample(families, 'keepalived_authentication_failure_total', VI_LAN)).toBe(7);
    expect(sample(families, 'keepalived_authentication_invalid_total', VI_LAN)).toBe(0);
    // Reasons keepalived has no counter for still show up in vrrpd's own breakdown.
    expect(sample(families, 'vrrpd_drops_total', { ...VI_LAN, reason: 'checksum' })).toBe(8);
    expect(
      families.get('vrrpd_drops_total')!.metrics.filter((m) => m.labels!.iname === 'VI_LAN'),
    ).toHaveLength(8);
  });

  it('exports keepalived_up and track script status (GOOD 1, BAD 0)', async () => {
    const families = await scrape(sampleStatus);
    expect(sample(families, 'keepalived_up')).toBe(1);
    expect(sample(families, 'keepalived_script_status', { name: 'chk_uplink' })).toBe(1);
    expect(sample(families, 'keepalived_script_status', { name: 'chk_wan' })).toBe(0);
    expect(families.get('keepalived_script_status')!.metrics).toHaveLength(2);
  });
});

describe('vrrpd extras', () => {
  it('exports priorities, last transition time and tracker states', async () => {
    const families = await scrape(sampleStatus);
    expect(sample(families, 'vrrpd_priority', VI_WAN)).toBe(100);
    expect(sample(families, 'vrrpd_effective_priority', VI_WAN)).toBe(80);
    expect(sample(families, 'vrrpd_last_transition_timestamp_seconds', VI_LAN)).toBe(
      Date.parse('2024-05-01T11:56:48.000Z') / 1000,
    );
    expect(sample(families, 'vrrpd_tracker_up', { iname: 'VI_LAN', kind: 'interface', name: 'eth1' })).toBe(
      1,
    );
    expect(
      sample(families, 'vrrpd_tracker_up', { iname: VI_WAN.iname, kind: 'script', name: 'chk_wan' }),
    ).toBe(0);
  });

  it('exports uplink health, activity, RTT in seconds and loss ratio', async () => {
    const families = await scrape(sampleStatus);
    const isp1 = { uplink: 'isp1', ip: '198.51.100.1', dev: 'eth1' };
    const isp2 = { uplink: 'isp2', ip: '203.0.113.1', dev: 'eth2' };
    expect(sample(families, 'vrrpd_uplink_up', isp1)).toBe(1);
    expect(sample(families, 'vrrpd_uplink_up', isp2)).toBe(0);
    expect(sample(families, 'vrrpd_uplink_active', isp1)).toBe(1);
    expect(sample(families, 'vrrpd_uplink_active', isp2)).toBe(0);
    expect(sample(families, 'vrrpd_uplink_priority', isp2)).toBe(20);
    expect(sample(families, 'vrrpd_uplink_rtt_seconds', isp1)).toBeCloseTo(0.001234, 9);
    expect(() => sample(families, 'vrrpd_uplink_rtt_seconds', isp2)).toThrow(/0 samples/);
    expect(sample(families, 'vrrpd_uplink_loss_ratio', isp2)).toBe(0.75);
  });

  it('labels every uplink series with its group, so two groups may reuse gateway ids', async () => {
    const twoGroups = (): StatusSnapshot => {
      const snapshot = sampleStatus();
      const other = snapshot.uplinks.map((uplink) => ({ ...uplink, group: 'DMZ', active: !uplink.active }));
      snapshot.uplinks.push(...other);
      snapshot.uplinkGroups.push({
        name: 'DMZ',
        role: 'backup',
        follows: 'group G2',
        active: 'isp2',
        switches: 0,
        routeErrors: 4,
        pinned: null,
        error: null,
      });
      return snapshot;
    };
    const families = await scrape(twoGroups);
    expect(families.get('vrrpd_uplink_active')!.metrics).toHaveLength(4);
    expect(sample(families, 'vrrpd_uplink_active', { group: 'ISP', uplink: 'isp1' })).toBe(1);
    expect(sample(families, 'vrrpd_uplink_active', { group: 'DMZ', uplink: 'isp1' })).toBe(0);
    expect(sample(families, 'vrrpd_uplink_active', { group: 'DMZ', uplink: 'isp2' })).toBe(1);
    expect(families.get('vrrpd_uplink_up')!.metrics.map((m) => Object.keys(m.labels ?? {}).sort())).toEqual(
      Array(4).fill(['dev', 'group', 'ip', 'uplink']),
    );
  });

  it('counts switches and failed route writes per group, and exports healthy-since as Unix time', async () => {
    const snapshot = (): StatusSnapshot => {
      const value = sampleStatus();
      value.uplinkGroups[0]!.routeErrors = 2;
      value.uplinkGroups.push({ ...value.uplinkGroups[0]!, name: 'BAD', error: 'bad.yml:1: error: broken' });
      return value;
    };
    const families = await scrape(snapshot);
    expect(sample(families, 'vrrpd_uplink_group_error', { group: 'ISP' })).toBe(0);
    expect(sample(families, 'vrrpd_uplink_group_error', { group: 'BAD' })).toBe(1);
    expect(families.get('vrrpd_uplink_switches_total')!.type).toBe('COUNTER');
    expect(sample(families, 'vrrpd_uplink_switches_total', { group: 'ISP' })).toBe(3);
    expect(sample(families, 'vrrpd_uplink_route_errors_total', { group: 'ISP' })).toBe(2);
    expect(
      sample(families, 'vrrpd_uplink_healthy_since_timestamp_seconds', { group: 'ISP', uplink: 'isp1' }),
    ).toBe(Date.parse('2024-05-01T09:55:00.000Z') / 1000);
    // A DOWN uplink has no healthy-since: no series rather than a made-up time.
    expect(() =>
      sample(families, 'vrrpd_uplink_healthy_since_timestamp_seconds', { uplink: 'isp2' }),
    ).toThrow(/0 samples/);
  });

  it('exports no uplink series at all without uplink groups', async () => {
    const families = await scrape(() => ({ ...sampleStatus(), uplinks: [], uplinkGroups: [] }));
    for (const name of ['vrrpd_uplink_up', 'vrrpd_uplink_switches_total', 'vrrpd_uplink_route_errors_total'])
      expect(families.get(name)?.metrics ?? [], name).toEqual([]);
  });
});

describe('scrape-time collection', () => {
  it('reads one snapshot per scrape and follows the daemon between scrapes', async () => {
    let current = sampleStatus();
    let reads = 0;
    const registry = createMetricsRegistry(() => {
      reads += 1;
      return current;
    });
    const parse = async (): Promise<Families> =>
      new Map(parsePrometheusTextFormat(await registry.metrics()).map((family) => [family.name, family]));

    const first = await parse();
    expect(reads).toBe(1);
    expect(sample(first, 'keepalived_vrrp_state', { ...VI_LAN, ip_address: '192.0.2.254' })).toBe(2);

    // A failover and an instance removed by reload: values change and stale series disappear.
    current = sampleStatus();
    current.instances[0]!.state = 'BACKUP';
    current.instances[0]!.counters.releasedMaster = 2;
    current.instances.splice(2, 1);
    await new Promise((resolve) => setImmediate(resolve));
    const second = await parse();
    expect(reads).toBe(2);
    expect(sample(second, 'keepalived_vrrp_state', { ...VI_LAN, ip_address: '192.0.2.254' })).toBe(1);
    expect(sample(second, 'keepalived_release_master_total', VI_LAN)).toBe(2);
    expect(second.get('keepalived_vrrp_state')!.metrics.some((m) => m.labels!.iname === 'VI_DMZ')).toBe(
      false,
    );
    expect(second.get('keepalived_become_master_total')!.metrics).toHaveLength(2);
  });

  it('escapes label values and help text, and spells special values as the format does', () => {
    const family = new FamilyBuilder('vrrpd_test', 'a \\ backslash\nand a line feed', 'gauge');
    family.set({ iname: 'quote " backslash \\ line\nfeed' }, Infinity);
    family.set({ iname: 'minus' }, -Infinity);
    family.set({ iname: 'nan' }, NaN);
    family.set({ iname: 'minus' }, 0.25);
    const text = renderExposition([family.build()]);
    expect(text).toBe(
      [
        '# HELP vrrpd_test a \\\\ backslash\\nand a line feed',
        '# TYPE vrrpd_test gauge',
        'vrrpd_test{iname="quote \\" backslash \\\\ line\\nfeed"} +Inf',
        'vrrpd_test{iname="minus"} 0.25',
        'vrrpd_test{iname="nan"} NaN',
        '',
      ].join('\n'),
    );
    expect(formatValue(-Infinity)).toBe('-Inf');
    const [parsed] = parsePrometheusTextFormat(text);
    expect(parsed!.help).toBe('a \\ backslash\nand a line feed');
    expect(parsed!.metrics.map((m) => m.labels!.iname)).toEqual([
      'quote " backslash \\ line\nfeed',
      'minus',
      'nan',
    ]);
  });
});

function httpGet(
  port: number,
  path: string,
  method = 'GET',
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('metrics HTTP endpoint', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves /metrics on loopback in the Prometheus text format', async () => {
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry: createMetricsRegistry(sampleStatus),
      streams: tcpStreams(loadNative()),
    });
    expect(server.address.host).toBe('127.0.0.1');
    const response = await httpGet(server.address.port, '/metrics');
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = new Map(parsePrometheusTextFormat(response.body).map((family) => [family.name, family]));
    expect(sample(families, 'keepalived_vrrp_state', { ...VI_LAN, ip_address: '192.0.2.254' })).toBe(2);

    expect((await httpGet(server.address.port, '/nope')).status).toBe(404);
    expect((await httpGet(server.address.port, '/metrics', 'POST')).status).toBe(405);
  });

  it('answers 500 when the snapshot cannot be taken, and keeps serving', async () => {
    let broken = true;
    const errors: unknown[] = [];
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      streams: tcpStreams(loadNative()),
      registry: createMetricsRegistry(() => {
        if (broken) throw new Error('daemon busy');
        return sampleStatus();
      }),
      onError: (error) => errors.push(error),
    });
    expect((await httpGet(server.address.port, '/metrics')).status).toBe(500);
    expect(errors).toHaveLength(1);
    broken = false;
    await new Promise((resolve) => setImmediate(resolve));
    expect((await httpGet(server.address.port, '/metrics')).status).toBe(200);
  });
});

describe('metrics HTTP endpoint, byte by byte', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Writes `parts` with a pause between them and reads until the server closes. */
  function exchange(port: number, parts: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      let received = '';
      socket.setEncoding('latin1');
      socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('close', () => resolve(received));
      // A server that answered and closed while bytes were still coming resets the connection:
      // what it answered first still counts.
      socket.on('error', (error) => (received ? resolve(received) : reject(error)));
      socket.on('connect', () => {
        let i = 0;
        const next = () => {
          if (i < parts.length) socket.write(parts[i++]!, () => setTimeout(next, 20));
        };
        next();
      });
    });
  }

  const start = async () =>
    (server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry: createMetricsRegistry(sampleStatus),
      streams: tcpStreams(loadNative()),
    }));

  it('answers a request that arrives in pieces, with its length, and closes', async () => {
    const { address } = await start();
    const reply = await exchange(address.port, ['GE', 'T /metr', 'ics?x=1 HTTP/1.1\r\nHost: a\r\n', '\r\n']);
    const [head, body] = reply.split('\r\n\r\n', 2);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\nconnection: close(\r\n|$)/);
    expect(Number(/content-length: (\d+)/.exec(head!)?.[1])).toBe(Buffer.byteLength(body!, 'latin1'));
    expect(body).toContain('keepalived_vrrp_state');
  });

  it('HEAD gets the headers only; garbage gets 400; an endless header 431', async () => {
    const { address } = await start();
    const head = await exchange(address.port, ['HEAD /metrics HTTP/1.1\r\n\r\n']);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*content-length: [1-9]\d*\r\n[\s\S]*\r\n\r\n$/);
    expect(await exchange(address.port, ['hello\r\n\r\n'])).toMatch(/^HTTP\/1\.1 400 /);
    const huge = await exchange(address.port, ['GET /metrics HTTP/1.1\r\nX: ' + 'a'.repeat(20_000)]);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('drops a client that stops sending before the end of its headers', async () => {
    const { address } = await start();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: address.port });
      let received = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      socket.on('connect', () => socket.end('GET /metrics HTTP/1.1\r\n'));
    });
    expect(reply).toBe('');
  });
});

describe('parseListenAddress', () => {
  it('accepts HOST:PORT forms and rejects the rest', () => {
    expect(parseListenAddress('127.0.0.1:9650')).toEqual({ host: '127.0.0.1', port: 9650 });
    expect(parseListenAddress('[::1]:9650')).toEqual({ host: '::1', port: 9650 });
    expect(parseListenAddress('localhost:1')).toEqual({ host: 'localhost', port: 1 });
    for (const bad of ['9650', ':9650', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', '::1:9650', 'a b:1']) {
      expect(() => parseListenAddress(bad), bad).toThrow(/invalid metrics listen address/);
    }
  });
});
