// use_vmac's arguments as keepalived 2.2.7 reads them (vrrp_parser.c): up to two words in either
// order, the one with ':' the MAC (6 octets, or 5 and the VRID is the sixth), the other the VMAC
// interface's name. A multicast MAC, an RFC 5798 virtual MAC (00:00:5e:00:01|02:xx: the kernel
// would clash with the default one), a malformed MAC or name, or a second MAC/name is skipped.

import type { ConfigWord } from '../language/block-tree.js';
import type { BuildContext } from './scalars.js';
import { interfaceNameProblem, reportInvalid } from './scalars.js';

export interface UseVmacArgs {
  name: string | null;
  mac: string | null;
}

const SKIPPED = 'ignored, as keepalived ignores it';

/** The octets of a 5- or 6-octet MAC, lower case and two digits each; null if malformed. */
export function macOctets(text: string): string[] | null {
  const octets = text.replace(/:$/, '').split(':');
  if (octets.length !== 5 && octets.length !== 6) return null;
  if (!octets.every((o) => /^[0-9a-f]{1,2}$/i.test(o))) return null;
  return octets.map((o) => o.toLowerCase().padStart(2, '0'));
}

export function parseUseVmacArgs(words: readonly ConfigWord[], ctx: BuildContext): UseVmacArgs {
  const result: UseVmacArgs = { name: null, mac: null };
  for (const word of words) {
    if (word.text.includes(':')) {
      if (result.mac !== null) {
        reportInvalid(
          ctx,
          word.source,
          `use_vmac: VMAC interface address already specified - '${word.text}'`,
          undefined,
          SKIPPED,
        );
        continue;
      }
      const octets = macOctets(word.text);
      if (!octets) {
        reportInvalid(
          ctx,
          word.source,
          `use_vmac: invalid MAC address ${word.text}`,
          'six octets, or five (the VRID is the sixth)',
          SKIPPED,
        );
      } else if ((parseInt(octets[0]!, 16) & 1) === 1) {
        reportInvalid(
          ctx,
          word.source,
          `use_vmac: VMAC MAC address is multicast ${word.text}`,
          undefined,
          SKIPPED,
        );
      } else if (
        octets.slice(0, 4).join(':') === '00:00:5e:00' &&
        (octets[4] === '01' || octets[4] === '02')
      ) {
        reportInvalid(
          ctx,
          word.source,
          `use_vmac: VMAC MAC address not allowed to be an RFC 5798 address (${word.text})`,
          'leave the MAC out to get 00:00:5e:00:01:VRID',
          SKIPPED,
        );
      } else {
        result.mac = octets.join(':');
      }
      continue;
    }
    if (result.name !== null) {
      reportInvalid(
        ctx,
        word.source,
        `use_vmac: VMAC interface name already specified - '${word.text}'`,
        undefined,
        SKIPPED,
      );
    } else if (interfaceNameProblem(word.text) !== null) {
      reportInvalid(
        ctx,
        word.source,
        `use_vmac: VMAC interface name '${word.text}' too long or invalid characters`,
        'at most 15 characters, no / : or blanks',
        SKIPPED,
      );
    } else {
      result.name = word.text;
    }
  }
  return result;
}
