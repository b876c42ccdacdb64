// use_ipvlan's arguments as keepalived 2.2.7 reads them (vrrp_parser.c, its ipvlan handler): any
// number of words in any order — `bridge`, `private` or `vepa` (exact, lower case) the ipvlan's
// kind, a word that reads as an address (optionally /LEN) the address put on it, anything else the
// interface's name. A second kind, address or name is reported and skipped, as is a name of 16
// characters or more; an address of the instance's other family is settled once the block is read
// (finish/ipvlan.ts), because keepalived decides the family by what came first.

import type { ConfigWord } from '../language/block-tree.js';
import type { IpvlanMode } from '../model/types.js';
import type { UseIpvlanDraft } from '../keywords/drafts.js';
import { maxPrefix, parseAddressWithPrefix } from './address.js';
import type { BuildContext } from './scalars.js';
import { reportInvalid } from './scalars.js';

const MODES: ReadonlySet<string> = new Set<IpvlanMode>(['bridge', 'private', 'vepa']);
const SKIPPED = 'ignored, as keepalived ignores it';
/** keepalived refuses names that do not fit IFNAMSIZ (16 with the NUL). */
const MAX_NAME_LENGTH = 15;

export function parseUseIpvlanArgs(
  words: readonly ConfigWord[],
  ctx: BuildContext,
): Omit<UseIpvlanDraft, 'source'> {
  const result: Omit<UseIpvlanDraft, 'source'> = { name: null, address: null, mode: 'bridge' };
  let modeGiven = false;
  for (const word of words) {
    if (MODES.has(word.text)) {
      if (modeGiven)
        reportInvalid(
          ctx,
          word.source,
          `use_ipvlan: ipvlan type already specified - '${word.text}'`,
          'write one of bridge, private, vepa',
          SKIPPED,
        );
      else {
        result.mode = word.text as IpvlanMode;
        modeGiven = true;
      }
      continue;
    }
    const parsed = parseAddressWithPrefix(word.text);
    if (parsed.ok) {
      if (result.address !== null) {
        reportInvalid(
          ctx,
          word.source,
          `use_ipvlan: ipvlan address already specified - '${word.text}'`,
          'an ipvlan carries one address of its own',
          SKIPPED,
        );
        continue;
      }
      result.address = {
        address: parsed.address,
        prefix: parsed.prefix ?? maxPrefix(parsed.family),
        family: parsed.family,
        source: word.source,
      };
      continue;
    }
    if (result.name !== null) {
      reportInvalid(
        ctx,
        word.source,
        `use_ipvlan: IPVLAN interface already specified - '${word.text}'`,
        'use_ipvlan takes one name, one address and one of bridge, private, vepa',
        SKIPPED,
      );
    } else if (Buffer.byteLength(word.text) > MAX_NAME_LENGTH) {
      reportInvalid(
        ctx,
        word.source,
        `use_ipvlan: IPVLAN interface name '${word.text}' too long`,
        'at most 15 characters',
        SKIPPED,
      );
    } else {
      result.name = word.text;
    }
  }
  return result;
}
