// The AH step of the receive ladder (validate.ts calls it for IP protocol 51): unwraps keepalived's
// AH header and authenticates the packet for the instance running its VRID, in keepalived's
// order (vrrp.c vrrp_in_chk_ipsecah): AH for an instance without AH → auth_type; ICV → ah_icv;
// SPI = source → ah_spi; sequence above the instance's counter → ah_sequence. What follows (VRRP
// version, checksum, interval, addresses…) is the ordinary ladder run on the unwrapped VRRP bytes.
// Pure; the sequence counter itself is the caller's state (src/vrrp/ah-sequence.ts).

import { ahIcvMatches, ahKey, readAhHeader } from './ipsec-ah.js';
import { AuthType, DropReason, type DropReasonCode } from './types.js';

/** What the AH step needs from the ladder's context (validate.ts ValidationContext has it). */
export interface AhCheckContext {
  lookupVrid(
    vrid: number,
    source?: string,
    destination?: string,
  ):
    | { instanceKey: string; authType: number; authPassword?: string; unicastPeers?: readonly string[] }
    | undefined;
  /**
   * The instance's AH sequence counter (keepalived's `seq_number`, shared by its sends and
   * receives): an advert must carry a larger number. 0 when absent (a fresh instance).
   */
  ahSequenceFloor?(instanceKey: string): number;
}

export type AhCheck =
  | {
      ok: true;
      /** The VRRP bytes after the AH header (a view into the packet). */
      vrrp: Buffer;
      /** The AH sequence number; the caller raises the instance's counter to it on acceptance. */
      sequence: number;
    }
  | { ok: false; reason: DropReasonCode; detail: string };

function fail(reason: DropReasonCode, detail: string): AhCheck {
  return { ok: false, reason, detail };
}

/**
 * Checks one AH packet. `packet` is the IP packet up to its total length (header included),
 * `ipHeaderLength` its IHL in bytes, `source` its IP source. A VRID no instance runs passes
 * unauthenticated: the ladder then drops it as unknown_vrid, as for any other advert.
 */
export function checkAhPacket(
  packet: Buffer,
  ipHeaderLength: number,
  source: string,
  ctx: AhCheckContext,
  destination?: string,
): AhCheck {
  const read = readAhHeader(packet.subarray(ipHeaderLength));
  if (!read.ok) return fail(read.reason, `${read.detail} (from ${source})`);
  const { header, vrrp } = read.value;
  const vrid = vrrp.length > 1 ? vrrp[1]! : undefined;
  const instance = vrid === undefined ? undefined : ctx.lookupVrid(vrid, source, destination);
  if (!instance) return { ok: true, vrrp, sequence: header.sequence };

  if (instance.authType !== AuthType.ah) {
    return fail(
      DropReason.authType,
      `AH packet from ${source} for VRID ${vrid}, which runs auth type ${instance.authType}`,
    );
  }
  const unicast = (instance.unicastPeers?.length ?? 0) > 0;
  if (!ahIcvMatches(packet, ipHeaderLength, ahKey(instance.authPassword ?? ''), unicast)) {
    return fail(
      DropReason.ahIcv,
      `AH ICV from ${source} for VRID ${vrid} does not match: another auth_pass, or a field changed on the way`,
    );
  }
  if (header.spi !== source) {
    return fail(DropReason.ahSpi, `AH SPI ${header.spi} from ${source} for VRID ${vrid} is not its source`);
  }
  const floor = ctx.ahSequenceFloor?.(instance.instanceKey) ?? 0;
  if (header.sequence <= floor) {
    return fail(
      DropReason.ahSequence,
      `AH sequence number ${header.sequence} from ${source} for VRID ${vrid} already seen (ours ${floor})`,
    );
  }
  return { ok: true, vrrp, sequence: header.sequence };
}
