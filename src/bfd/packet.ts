// BFD Control packet codec (RFC 5880 §4.1), without the optional authentication section: vrrpd,
// like keepalived 2.2.7, runs BFD unauthenticated, so a packet with the A bit is discarded
// (§6.8.6: "If the A bit is set and no authentication is in use … the packet MUST be discarded").
// encode() throws RangeError only on a programming error; decode() never throws: each check of
// the §6.8.6 reception ladder that needs no session has its own reason code.

export const BFD_VERSION = 1;
/** RFC 5881 §4: single-hop Control packets go to UDP port 3784. */
export const BFD_CONTROL_PORT = 3784;
/** RFC 5881 §4: the source port is in 49152–65535. */
export const BFD_SOURCE_PORT_MIN = 49152;
export const BFD_SOURCE_PORT_MAX = 65535;
/** RFC 5881 §5: sent with TTL / hop limit 255 (the GTSM check of RFC 5082). */
export const BFD_TTL = 255;
/** The mandatory section is 24 bytes (§4.1 "Length"). */
export const BFD_CONTROL_LENGTH = 24;

/** §4.1 "State (Sta)". */
export const BfdState = { adminDown: 0, down: 1, init: 2, up: 3 } as const;
export type BfdStateCode = (typeof BfdState)[keyof typeof BfdState];
export const BFD_STATE_NAMES: Record<BfdStateCode, string> = {
  0: 'AdminDown',
  1: 'Down',
  2: 'Init',
  3: 'Up',
};

/** §4.1 "Diagnostic (Diag)": 0–8 are defined; the rest are reserved. */
export const BfdDiag = {
  none: 0,
  detectionExpired: 1,
  echoFailed: 2,
  neighborSignaledDown: 3,
  forwardingPlaneReset: 4,
  pathDown: 5,
  concatenatedPathDown: 6,
  adminDown: 7,
  reverseConcatenatedPathDown: 8,
} as const;
export type BfdDiagCode = number;

/** §4.1's names of the defined codes, for logs. */
export function bfdDiagName(diag: BfdDiagCode): string {
  return BFD_DIAG_NAMES[diag] ?? `reserved diag ${diag}`;
}

const BFD_DIAG_NAMES: readonly string[] = [
  'No Diagnostic',
  'Control Detection Time Expired',
  'Echo Function Failed',
  'Neighbor Signaled Session Down',
  'Forwarding Plane Reset',
  'Path Down',
  'Concatenated Path Down',
  'Administratively Down',
  'Reverse Concatenated Path Down',
];

export interface BfdControl {
  diag: BfdDiagCode;
  state: BfdStateCode;
  poll: boolean;
  final: boolean;
  controlPlaneIndependent: boolean;
  authPresent: boolean;
  demand: boolean;
  multipoint: boolean;
  detectMult: number;
  myDiscriminator: number;
  yourDiscriminator: number;
  /** The three intervals are in microseconds, as on the wire. */
  desiredMinTxUs: number;
  requiredMinRxUs: number;
  requiredMinEchoRxUs: number;
}

export const BfdDropReason = {
  tooShort: 'too_short',
  version: 'version',
  length: 'length',
  detectMult: 'detect_mult',
  multipoint: 'multipoint',
  pollAndFinal: 'poll_and_final',
  myDiscriminator: 'my_discriminator',
  authentication: 'authentication',
} as const;
export type BfdDropReasonCode = (typeof BfdDropReason)[keyof typeof BfdDropReason];

export type BfdDecodeResult =
  { ok: true; value: BfdControl } | { ok: false; reason: BfdDropReasonCode; detail: string };

function checkUint32(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
    throw new RangeError(`BFD ${name} ${value} is not a 32-bit unsigned integer`);
}

export function encodeBfdControl(packet: BfdControl): Buffer {
  if (!Number.isInteger(packet.diag) || packet.diag < 0 || packet.diag > 31)
    throw new RangeError(`BFD diagnostic ${packet.diag} does not fit 5 bits`);
  if (!Number.isInteger(packet.detectMult) || packet.detectMult < 1 || packet.detectMult > 255)
    throw new RangeError(`BFD detect multiplier ${packet.detectMult} is not 1–255`);
  if (packet.authPresent) throw new RangeError('BFD authentication is not implemented');
  checkUint32('my discriminator', packet.myDiscriminator);
  checkUint32('your discriminator', packet.yourDiscriminator);
  checkUint32('desired min tx', packet.desiredMinTxUs);
  checkUint32('required min rx', packet.requiredMinRxUs);
  checkUint32('required min echo rx', packet.requiredMinEchoRxUs);
  const buf = Buffer.alloc(BFD_CONTROL_LENGTH);
  buf[0] = (BFD_VERSION << 5) | packet.diag;
  buf[1] =
    (packet.state << 6) |
    (packet.poll ? 0x20 : 0) |
    (packet.final ? 0x10 : 0) |
    (packet.controlPlaneIndependent ? 0x08 : 0) |
    (packet.demand ? 0x02 : 0) |
    (packet.multipoint ? 0x01 : 0);
  buf[2] = packet.detectMult;
  buf[3] = BFD_CONTROL_LENGTH;
  buf.writeUInt32BE(packet.myDiscriminator, 4);
  buf.writeUInt32BE(packet.yourDiscriminator, 8);
  buf.writeUInt32BE(packet.desiredMinTxUs, 12);
  buf.writeUInt32BE(packet.requiredMinRxUs, 16);
  buf.writeUInt32BE(packet.requiredMinEchoRxUs, 20);
  return buf;
}

function drop(reason: BfdDropReasonCode, detail: string): BfdDecodeResult {
  return { ok: false, reason, detail };
}

/**
 * The session-independent part of the RFC 5880 §6.8.6 ladder. The checks that need the session
 * table (Your Discriminator lookup, state when it is zero) are in demux.ts.
 */
export function decodeBfdControl(buf: Buffer): BfdDecodeResult {
  if (buf.length < BFD_CONTROL_LENGTH)
    return drop(BfdDropReason.tooShort, `${buf.length} bytes, a Control packet has at least 24`);
  const version = buf[0]! >> 5;
  if (version !== BFD_VERSION) return drop(BfdDropReason.version, `version ${version}, expected 1`);
  const flags = buf[1]!;
  const authPresent = (flags & 0x04) !== 0;
  const length = buf[3]!;
  // With the A bit the minimum is 26 (§6.8.6); that packet is dropped below for authentication.
  if (length < BFD_CONTROL_LENGTH || length > buf.length)
    return drop(BfdDropReason.length, `Length field ${length} with ${buf.length} bytes received`);
  const detectMult = buf[2]!;
  if (detectMult === 0) return drop(BfdDropReason.detectMult, 'Detect Mult is zero');
  if ((flags & 0x01) !== 0) return drop(BfdDropReason.multipoint, 'Multipoint (M) bit is set');
  // §4.1: "A system MUST NOT set both the Poll (P) and Final (F) bits" (keepalived drops it too).
  if ((flags & 0x30) === 0x30) return drop(BfdDropReason.pollAndFinal, 'both Poll and Final are set');
  const myDiscriminator = buf.readUInt32BE(4);
  if (myDiscriminator === 0) return drop(BfdDropReason.myDiscriminator, 'My Discriminator is zero');
  if (authPresent) return drop(BfdDropReason.authentication, 'A bit set, no authentication is in use');
  return {
    ok: true,
    value: {
      diag: buf[0]! & 0x1f,
      state: (flags >> 6) as BfdStateCode,
      poll: (flags & 0x20) !== 0,
      final: (flags & 0x10) !== 0,
      controlPlaneIndependent: (flags & 0x08) !== 0,
      authPresent,
      demand: (flags & 0x02) !== 0,
      multipoint: false,
      detectMult,
      myDiscriminator,
      yourDiscriminator: buf.readUInt32BE(8),
      desiredMinTxUs: buf.readUInt32BE(12),
      requiredMinRxUs: buf.readUInt32BE(16),
      requiredMinEchoRxUs: buf.readUInt32BE(20),
    },
  };
}
