// The address family and VRRP version of a vrrp_instance, settled in file order as keepalived
// settles them while it reads the block: the first address written (virtual_ipaddress,
// unicast_src_ip, mcast_src_ip, unicast_peer, mcast_dst_ip) or native_ipv6 fixes the family, and a
// `version` that contradicts what is already fixed is reported and ignored. The finishing step
// (finish/addresses.ts) then skips the addresses of the other family.

import type { VrrpVersion } from '../../packet/types.js';
import type { SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { AddressFamily } from '../model/types.js';
import { KEEPALIVED_READS_LEADING_NUMBER, parseInteger } from '../values/scalars.js';
import { argument } from './common.js';
import type { InstanceDraft } from './drafts.js';
import type { KeywordSpec } from './types.js';

type I = InstanceDraft;

/** The first family claim wins; later ones are checked against it when the block is finished. */
export function claimFamily(draft: I, family: AddressFamily, source: SourceRef): void {
  draft.familyClaim ??= { value: family, source };
}

export const FAMILY_KEYWORDS: KeywordSpec<I>[] = [
  {
    name: 'version',
    status: 'supported',
    syntax: '<2|3>',
    defaultValue: 'global vrrp_version',
    doc: 'VRRP version of this instance; IPv6 instances default to 3; keepalived also runs a non-standard 2 when it is written before the first IPv6 address. A version that contradicts one already set (or 2 once the instance is IPv6) is ignored with a warning, as keepalived ignores it.',
    arity: [1, 1],
    // Handled here: keepalived keeps the first version, and says so only when they differ.
    repeat: 'append',
    apply: (node, draft, ctx) => {
      const version = parseInteger(
        argument(node),
        'version',
        { min: 2, max: 3 },
        ctx,
        KEEPALIVED_READS_LEADING_NUMBER,
      );
      if (version === null) return;
      const previous = draft.version;
      const ipv6 = draft.familyClaim?.value === 'ipv6';
      if ((previous && previous.value !== version) || (version === 2 && ipv6)) {
        const why = previous
          ? `version ${previous.value} is already set (line ${previous.source.line})`
          : `${ctx.where} is already IPv6 (line ${draft.familyClaim?.source.line ?? 0}), which is VRRP version 3`;
        ctx.sink.report(
          DiagnosticCodes.conflictDropped,
          node.source,
          `version ${version} is ignored: ${why}`,
          'write one version line, before the addresses (IPv6 defaults to version 3)',
          'the line is ignored, as keepalived ignores it',
        );
        return;
      }
      if (previous) {
        ctx.sink.report(
          DiagnosticCodes.suspicious,
          node.source,
          `'version' is repeated in ${ctx.where} (first at line ${previous.source.line}) with the same value`,
          'remove one of the lines',
        );
        return;
      }
      draft.version = { value: version as VrrpVersion, source: node.source };
    },
  },
  {
    name: 'native_ipv6',
    status: 'supported',
    syntax: '',
    doc: 'Makes the instance IPv6 (VRRP version 3) before any address says so; reported and ignored when an IPv4 address came earlier, as keepalived does. IPv4 virtual addresses after it are skipped with a warning.',
    apply: (node, draft, ctx) => {
      const claim = draft.familyClaim;
      if (claim?.value === 'ipv4') {
        ctx.sink.report(
          DiagnosticCodes.conflictDropped,
          node.source,
          `native_ipv6 is ignored: ${ctx.where} is already IPv4 (the address at line ${claim.source.line})`,
          'remove native_ipv6, or the IPv4 addresses (an instance advertises one family)',
          'the line is ignored, as keepalived ignores it',
        );
        return;
      }
      claimFamily(draft, 'ipv6', node.source);
      // keepalived sets version 3 here, over an earlier `version 2`, without a word.
      draft.version = { value: 3, source: node.source };
    },
  },
];
