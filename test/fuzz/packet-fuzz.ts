// Fuzzing the receive side: the IPv4, IPv6 and VRRP decoders, the validation ladders (IPv4 and
// IPv6), the Neighbor Advertisement decoder and the daemon's
// PacketReceiver, fed random bytes, mutations of the golden keepalived captures
// (test/fixtures/keepalived/) and well-formed packets with random fields. Invariants, checked
// for every input: nothing throws, every rejection is one typed DropReason with a detail, an
// accepted advert belongs to a configured instance and is within the protocol's ranges, and the
// receiver accounts for every packet exactly once (delivered, or counted as a drop).
//
// Shared by fuzz.test.ts (bounded, in CI) and run.ts (`npm run fuzz`, many more cases).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseConfigText } from '../../src/config/parse-config.js';
import { newCounters, type InstanceCounters } from '../../src/daemon/counters.js';
import type { Logger } from '../../src/runtime/log.js';
import { planDaemon, expectationsOf } from '../../src/daemon/plan.js';
import { countVerdict, PacketReceiver } from '../../src/daemon/receiver.js';
import { decodeArpFrame } from '../../src/packet/arp.js';
import { internetChecksum, sumWords, finishChecksum } from '../../src/packet/checksum.js';
import { decodeIpv4Header, splitIpv4Packet } from '../../src/packet/ipv4.js';
import { DropReason, type VrrpAdvert } from '../../src/packet/types.js';
import {
  validatePacket,
  type ReceivedIp,
  type ValidationContext,
  type ValidationResult,
} from '../../src/packet/validate.js';
import { validateIpv6Advert } from '../../src/packet/validate6.js';
import { decodeIpv6Header, IPV6_HEADER_LENGTH } from '../../src/packet/ipv6.js';
import { decodeNeighborAdvertFrame } from '../../src/packet/neighbor-advert.js';
import {
  decodeAdvert,
  decodeAdvert6,
  encodeAdvert,
  simpleAuthData,
  VRRP_PROTOCOL,
} from '../../src/packet/vrrp.js';
import { encodeIpv4Header } from '../../src/packet/ipv4.js';
import { packageRoot } from '../lab/dist.js';

const DROP_REASONS: ReadonlySet<string> = new Set(Object.values(DropReason));

export const IPV4_FIXTURES = [
  'v2-unicast-pass',
  'v2-priority0-shutdown',
  'v2-multicast-noauth',
  'v3-multicast',
  'v3-unicast',
] as const;

/** Whole IPv6 packets (40-byte header + VRRP), and the two NA frames. */
export const IPV6_FIXTURES = [
  'v3-ipv6-multicast',
  'v3-ipv6-priority0-shutdown',
  'v3-ipv6-multicast-fast',
  'v3-ipv6-unicast',
  'v3-ipv6-unicast-linklocal',
  'v2-ipv6-multicast',
  'ipv6-na',
  'ipv6-na-router',
] as const;

/**
 * The fixture's bytes (same format as test/packet/keepalived-fixtures.ts, read from the source
 * tree so the compiled fuzz runner finds the .hex files too).
 */
export function fixtureBytes(name: string): Buffer {
  const path = join(packageRoot(), 'test', 'fixtures', 'keepalived', `${name}.hex`);
  const hex = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  return Buffer.from(hex, 'hex');
}

// ---------------------------------------------------------------------------------------------
// The instances packets are checked against: what the fixtures were captured from, and variants
// that make other ladder steps reachable (owner, v3, no auth, skip_check_adv_addr).

const RECEIVER_CONFIG = `
vrrp_instance VI_UNICAST {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 100
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass secret1
  }
  unicast_src_ip 192.0.2.2
  unicast_peer {
    192.0.2.1
  }
  check_unicast_src
  virtual_ipaddress {
    192.0.2.254/24
  }
}
vrrp_instance VI_V3 {
  state BACKUP
  interface eth0
  virtual_router_id 52
  version 3
  priority 100
  advert_int 1
  virtual_ipaddress {
    192.0.2.253/24
  }
}
vrrp_instance VI_OWNER {
  state MASTER
  interface eth0
  virtual_router_id 53
  priority 255
  advert_int 1
  virtual_ipaddress {
    192.0.2.252/24
  }
}
`;

function receiverPlans() {
  const parsed = parseConfigText(RECEIVER_CONFIG);
  if (!parsed.ok) throw new Error(`fuzz receiver config: ${JSON.stringify(parsed.diagnostics)}`);
  return planDaemon(parsed.config).instances;
}

const PLANS = receiverPlans();
const EXPECTATIONS = PLANS.map((plan) => expectationsOf(plan));

/** Contexts for the bare ladder: each fixture's VRID 51 seen by several kinds of instance. */
export const LADDER_CONTEXTS: ReadonlyArray<{ name: string; ctx: ValidationContext }> = [
  ...[
    { name: 'v2 PASS unicast check_unicast_src', overrides: {} },
    { name: 'v2 no auth, skip_check_adv_addr', overrides: { authType: 0, skipCheckAdvertAddresses: true } },
    { name: 'v3', overrides: { version: 3 as const, authType: 0 } },
    { name: 'owner', overrides: { priority: 255 } },
  ].map(({ name, overrides }) => {
    const expectations = { ...EXPECTATIONS[0]!, ...overrides };
    return { name, ctx: { lookupVrid: (vrid: number) => (vrid === 51 ? expectations : undefined) } };
  }),
  {
    name: 'every receiver instance, unicast TTL check off',
    ctx: { lookupVrid: (vrid) => EXPECTATIONS.find((e) => e.vrid === vrid), unicastTtlCheck: 0 },
  },
];

// ---------------------------------------------------------------------------------------------
// Inputs

/** Recomputes the IPv4 header checksum and the VRRP checksum (v2 plain, v3 with pseudo-header). */
export function fixChecksums(packet: Buffer): Buffer {
  if (packet.length < 20) return packet;
  const headerLength = (packet[0]! & 0x0f) * 4;
  if (headerLength < 20 || packet.length < headerLength) return packet;
  packet.writeUInt16BE(0, 10);
  packet.writeUInt16BE(internetChecksum(packet.subarray(0, headerLength)), 10);
  const vrrp = packet.subarray(headerLength);
  if (vrrp.length < 8) return packet;
  vrrp.writeUInt16BE(0, 6);
  const version = vrrp[0]! >> 4;
  const pseudo = version === 3 ? sumWords(packet.subarray(12, 20)) + VRRP_PROTOCOL + vrrp.length : 0;
  vrrp.writeUInt16BE(finishChecksum(sumWords(vrrp, pseudo)), 6);
  return packet;
}

type Mutation = (bytes: Buffer) => Buffer;

const INTERESTING_BYTES = [0, 1, 2, 3, 0x0f, 0x10, 0x20, 0x21, 0x31, 0x45, 0x4f, 0x7f, 0x80, 0xfe, 0xff];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([at, bit]): Mutation => (b) => {
    if (b.length > 0) b[at % b.length] ^= 1 << bit;
    return b;
  }),
  fc
    .tuple(fc.nat(), fc.oneof(fc.constantFrom(...INTERESTING_BYTES), fc.integer({ min: 0, max: 255 })))
    .map(([at, value]): Mutation => (b) => {
      if (b.length > 0) b[at % b.length] = value;
      return b;
    }),
  // Truncation (the kernel hands us whatever arrived), extension, insertion, deletion.
  fc.nat().map(
    (cut): Mutation =>
      (b) =>
        b.subarray(0, b.length === 0 ? 0 : cut % (b.length + 1)),
  ),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map(
    (extra): Mutation =>
      (b) =>
        Buffer.concat([b, extra]),
  ),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([at, extra]): Mutation => (b) => {
    const i = b.length === 0 ? 0 : at % b.length;
    return Buffer.concat([b.subarray(0, i), extra, b.subarray(i)]);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 8 })).map(([at, size]): Mutation => (b) => {
    const i = b.length === 0 ? 0 : at % b.length;
    return Buffer.concat([b.subarray(0, i), b.subarray(i + size)]);
  }),
  // The fields that steer the ladder: IHL, total length, TTL, protocol, version/type, count.
  fc
    .tuple(fc.constantFrom(0, 2, 3, 8, 9, 20, 23), fc.integer({ min: 0, max: 255 }))
    .map(([at, value]): Mutation => (b) => {
      if (at < b.length) b[at] = value;
      return b;
    }),
  // Splice with another capture.
  fc.tuple(fc.constantFrom(...IPV4_FIXTURES), fc.nat()).map(([name, at]): Mutation => (b) => {
    const other = fixtureBytes(name);
    const i = b.length === 0 ? 0 : at % b.length;
    return Buffer.concat([b.subarray(0, i), other.subarray(i)]);
  }),
);

/** An IPv6 capture with 1-8 mutations (checksums left as they fall: only the header is IPv4's). */
export const mutatedIpv6Fixture: fc.Arbitrary<Buffer> = fc
  .tuple(fc.constantFrom(...IPV6_FIXTURES), fc.array(mutation, { minLength: 1, maxLength: 8 }))
  .map(([name, mutations]) => {
    let bytes = Buffer.from(fixtureBytes(name));
    for (const mutate of mutations) bytes = Buffer.from(mutate(bytes));
    return bytes;
  });

/** A golden capture with 1-8 mutations, checksums recomputed or not (to reach later steps). */
export const mutatedFixture: fc.Arbitrary<Buffer> = fc
  .tuple(fc.constantFrom(...IPV4_FIXTURES), fc.array(mutation, { minLength: 1, maxLength: 8 }), fc.boolean())
  .map(([name, mutations, fix]) => {
    let bytes = Buffer.from(fixtureBytes(name));
    for (const mutate of mutations) bytes = Buffer.from(mutate(bytes));
    return fix ? fixChecksums(bytes) : bytes;
  });

export const randomBytes: fc.Arbitrary<Buffer> = fc
  .oneof(
    { weight: 4, arbitrary: fc.uint8Array({ maxLength: 128 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 1500 }) },
  )
  .map((bytes) => Buffer.from(bytes));

/** Well-formed packets with arbitrary field values: they get past the checksums. */
export const craftedPacket: fc.Arbitrary<Buffer> = fc
  .record({
    // Each field leans towards what the receiver's instances accept, so that packets get past the
    // earlier steps and exercise the later ones (auth, interval, unicast source).
    version: fc.constantFrom(2 as const, 3 as const),
    type: fc.oneof({ weight: 5, arbitrary: fc.constant(1) }, fc.integer({ min: 0, max: 15 })),
    vrid: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(51, 52, 53) }, fc.integer({ min: 1, max: 255 })),
    priority: fc.integer({ min: 0, max: 255 }),
    intervalSeconds: fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, fc.integer({ min: 1, max: 40 })),
    addresses: fc.array(fc.oneof(fc.constantFrom('192.0.2.254', '192.0.2.253'), fc.ipV4()), {
      maxLength: 12,
    }),
    authType: fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, fc.integer({ min: 0, max: 3 })),
    password: fc.oneof(
      { weight: 3, arbitrary: fc.constant('secret1') },
      fc.constantFrom('wrong', 'sécret', 'secret12'),
      fc.string({ maxLength: 10 }),
    ),
    source: fc.oneof({ weight: 2, arbitrary: fc.constantFrom('192.0.2.1', '192.0.2.77') }, fc.ipV4()),
    destination: fc.constantFrom('192.0.2.2', '224.0.0.18', '198.51.100.9'),
    ttl: fc.oneof({ weight: 3, arbitrary: fc.constant(255) }, fc.integer({ min: 0, max: 255 })),
  })
  .map((f) => {
    const advert: VrrpAdvert = {
      version: f.version,
      type: f.type,
      vrid: f.vrid,
      priority: f.priority,
      advertIntervalCs: f.intervalSeconds * 100,
      addresses: f.addresses,
      authType: f.version === 2 ? f.authType : 0,
      authData: f.version === 2 ? simpleAuthData(f.password) : Buffer.alloc(0),
    };
    const vrrp = encodeAdvert(advert, { source: f.source, destination: f.destination });
    const header = encodeIpv4Header({
      source: f.source,
      destination: f.destination,
      ttl: f.ttl,
      tos: 0xc0,
      protocol: VRRP_PROTOCOL,
      payloadLength: vrrp.length,
      identification: 0,
    });
    return Buffer.concat([header, vrrp]);
  });

export const anyPacket: fc.Arbitrary<Buffer> = fc.oneof(
  randomBytes,
  mutatedFixture,
  mutatedIpv6Fixture,
  craftedPacket,
);

// ---------------------------------------------------------------------------------------------
// Invariants

export class InvariantError extends Error {
  override name = 'InvariantError';
}

function require(condition: boolean, message: string): void {
  if (!condition) throw new InvariantError(message);
}

function checkDecodeError(where: string, result: { ok: boolean; reason?: string; detail?: string }): void {
  if (result.ok) return;
  require(typeof result.detail === 'string' && result.detail.length > 0, `${where}: empty detail`);
  if (result.reason !== undefined)
    require(DROP_REASONS.has(result.reason), `${where}: unknown reason ${result.reason}`);
}

function checkLadderResult<Ip extends ReceivedIp>(
  where: string,
  result: ValidationResult<Ip>,
  ctx: ValidationContext,
  protocolOf: (ip: Ip) => number = (ip) => (ip as unknown as { protocol: number }).protocol,
): void {
  if (!result.ok) {
    require(DROP_REASONS.has(result.reason), `${where}: unknown reason ${result.reason}`);
    require(result.reason !== DropReason.addressMismatch, `${where}: address_mismatch must not drop`);
    require(result.detail.length > 0, `${where}: empty detail`);
    return;
  }
  const instance = ctx.lookupVrid(result.advert.vrid);
  require(instance !== undefined && instance.instanceKey === result.instanceKey, `${where}: wrong instance`);
  require(instance!.priority !== 255, `${where}: an owner accepted an advert`);
  require(result.advert.version === instance!.version, `${where}: version mismatch accepted`);
  require(result.advert.type === 1, `${where}: non-advert type accepted`);
  const protocol = protocolOf(result.ip);
  require(protocol === VRRP_PROTOCOL, `${where}: protocol ${protocol} accepted`);
  require(result.warnings.length === result.warningDetails.length, `${where}: warnings/details differ`);
  for (const warning of result.warnings)
    require(DROP_REASONS.has(warning), `${where}: unknown warning ${warning}`);
  const { priority, vrid, addresses } = result.advert;
  require(priority >= 0 && priority <= 255 && vrid >= 1 && vrid <= 255, `${where}: field out of range`);
  require(addresses.length <= 255, `${where}: too many addresses`);
}

/** Plain decoders and every ladder context. Throws InvariantError (or whatever escaped) on failure. */
export function checkDecoders(bytes: Buffer): void {
  checkDecodeError('decodeIpv4Header', decodeIpv4Header(bytes));
  const split = splitIpv4Packet(bytes);
  checkDecodeError('splitIpv4Packet', split);
  checkDecodeError('decodeAdvert', decodeAdvert(split.ok ? split.value.payload : bytes));
  checkDecodeError(
    'decodeAdvert (v3 pseudo-header)',
    decodeAdvert(bytes, { source: '192.0.2.1', destination: '224.0.0.18' }),
  );
  const arp = decodeArpFrame(bytes);
  require(arp.ok || arp.detail.length > 0, 'decodeArpFrame: empty detail');
  for (const { name, ctx } of LADDER_CONTEXTS)
    checkLadderResult(`validatePacket (${name})`, validatePacket(bytes, ctx), ctx);
  checkIpv6Decoders(bytes);
}

const IPV6_INFOS = [
  { source: 'fe80::c0ff:fe00:201', destination: 'ff02::12', hopLimit: 255, ifindex: 2 },
  { source: '2001:db8::1', destination: '2001:db8::2', hopLimit: 64, ifindex: 2 },
];

/**
 * The IPv6 side: the bytes as a whole IPv6 packet (header facts from it, as the socket would
 * report them) when they parse as one, else as a bare VRRP message with fixed metadata; and as
 * an Ethernet frame for the NA decoder.
 */
function checkIpv6Decoders(bytes: Buffer): void {
  const header = decodeIpv6Header(bytes);
  require(header.ok || header.detail.length > 0, 'decodeIpv6Header: empty detail');
  const cases = header.ok
    ? [{ message: bytes.subarray(IPV6_HEADER_LENGTH), info: { ...header.value, ifindex: 2 } }]
    : IPV6_INFOS.map((info) => ({ message: bytes, info }));
  for (const { message, info } of cases) {
    checkDecodeError('decodeAdvert6', decodeAdvert6(message, info));
    for (const { name, ctx } of LADDER_CONTEXTS) {
      const result = validateIpv6Advert(message, info, { lookupVrid: ctx.lookupVrid });
      checkLadderResult(`validateIpv6Advert (${name})`, result, ctx, () => VRRP_PROTOCOL);
      if (!result.ok && result.vrid !== undefined) {
        require(result.vrid === message[1], 'validateIpv6Advert: drop names another VRID');
      }
    }
  }
  const na = decodeNeighborAdvertFrame(bytes);
  require(na.ok || na.detail.length > 0, 'decodeNeighborAdvertFrame: empty detail');
}

/** A receiver over the three instances of RECEIVER_CONFIG, counting what it delivers and logs. */
export class ReceiverUnderTest {
  readonly counters = new Map(PLANS.map((plan) => [plan.name, newCounters()]));
  delivered = 0;
  logLines = 0;
  private clock = 0;
  private readonly receiver: PacketReceiver;

  constructor() {
    const count = (): void => {
      this.logLines++;
    };
    const logger = { warn: count, info: count, error: count, debug: count } as unknown as Logger;
    this.receiver = new PacketReceiver(logger, { now: () => this.clock, wallNow: () => this.clock });
    this.receiver.configure(PLANS);
  }

  private total(pick: (c: InstanceCounters) => number): number {
    let sum = 0;
    for (const counters of this.counters.values()) sum += pick(counters);
    return sum;
  }

  /** Feeds one packet; checks that it was delivered or counted as a drop, never lost or both. */
  receive(bytes: Buffer, source = '192.0.2.1'): void {
    this.clock += 7;
    const dropsBefore = this.total((c) => Object.values(c.drops).reduce((a, b) => a + b, 0));
    const acceptedBefore = this.total((c) => c.advertsRx);
    const deliveredBefore = this.delivered;
    const verdict = this.receiver.receive('eth0', bytes, source);
    countVerdict(verdict, (name) => this.counters.get(name));
    if (verdict.kind === 'advert') this.delivered++;
    const drops = this.total((c) => Object.values(c.drops).reduce((a, b) => a + b, 0)) - dropsBefore;
    const accepted = this.total((c) => c.advertsRx) - acceptedBefore;
    const delivered = this.delivered - deliveredBefore;
    require(delivered === accepted &&
      delivered <= 1, `receiver: delivered ${delivered}, counted ${accepted}`);
    // Warnings (address_mismatch) count alongside an accepted advert; a drop counts at least once.
    require(delivered === 1 || drops >= 1, 'receiver: a packet was neither delivered nor counted');
  }
}

export function checkPacket(bytes: Buffer, receiver: ReceiverUnderTest): void {
  checkDecoders(bytes);
  receiver.receive(bytes);
}
