// authentication { auth_type PASS; auth_pass SECRET } inside vrrp_instance (RFC 2338 §5.3.6;
// RFC 3768 removed it, keepalived keeps it and so do we for interoperability).

import { decodeBytes, encodeBytes } from '../../packet/byte-text.js';
import { V2_AUTH_DATA_LENGTH } from '../../packet/vrrp.js';
import { DiagnosticCodes, KEEPALIVED_REPORTS } from '../report/diagnostics.js';
import type { InstanceDraft } from './drafts.js';
import { didYouMean } from '../report/suggest.js';
import { reportInvalid } from '../values/scalars.js';
import { argument } from './common.js';
import type { KeywordTable } from './types.js';

/** The RFC 2338 authentication data field (the codec's constant); keepalived keeps the first 8. */
const AUTH_PASS_MAX = V2_AUTH_DATA_LENGTH;

export const AUTHENTICATION_TABLE: KeywordTable<InstanceDraft> = {
  block: 'authentication',
  keywords: [
    {
      name: 'auth_type',
      status: 'supported',
      syntax: 'PASS|AH',
      doc: 'PASS: the password in the advert (VRRPv2 only). AH: IPsec AH as keepalived does it (RFC 2402 header, HMAC-MD5-96 keyed with the 8 auth_pass bytes, the sender address as SPI, a replay-checked sequence number); VRRPv2 over IPv4 only, and an instance starting MASTER (not the owner) starts BACKUP to learn the sequence number first.',
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        const word = argument(node);
        if (word.text === 'PASS' || word.text === 'AH') {
          draft.authType = { value: word.text, source: node.source };
        } else {
          reportInvalid(
            ctx,
            word.source,
            `unknown auth_type '${word.text}': expected PASS or AH`,
            didYouMean(word.text, ['PASS', 'AH']),
          );
        }
      },
    },
    {
      name: 'auth_pass',
      status: 'supported',
      syntax: '<PASSWORD>',
      doc: `Shared password: its first ${AUTH_PASS_MAX} bytes as written in the file (any bytes, as keepalived sends them), zero-padded; longer ones are cut to ${AUTH_PASS_MAX} bytes with a warning, exactly as keepalived cuts them, so mixed pairs still agree.`,
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        const word = argument(node);
        // keepalived copies the bytes up to the first NUL (strlen), at most eight of them.
        const bytes = encodeBytes(word.text);
        const nul = bytes.indexOf(0);
        const written = nul === -1 ? bytes : bytes.subarray(0, nul);
        const pass = decodeBytes(written.subarray(0, AUTH_PASS_MAX));
        if (written.length > AUTH_PASS_MAX) {
          ctx.sink.report(
            DiagnosticCodes.adjusted,
            word.source,
            `auth_pass is longer than ${AUTH_PASS_MAX} bytes; only the first ${AUTH_PASS_MAX} are used ('${visibleBytes(pass)}')`,
            'keepalived truncates it the same way; shorten it in the file so both ends visibly agree',
            KEEPALIVED_REPORTS,
          );
        }
        if (written.some((byte) => byte > 0x7e || byte < 0x20)) {
          ctx.sink.report(
            DiagnosticCodes.suspicious,
            word.source,
            `auth_pass holds bytes outside printable ASCII ('${visibleBytes(pass)}'): they are sent as written in the file, as keepalived sends them`,
            'every router must have the same bytes: the same password in the same file encoding',
          );
        }
        draft.authPass = { value: pass, source: node.source };
      },
    },
  ],
};

/** Printable ASCII as is, every other byte as \xNN. */
function visibleBytes(text: string): string {
  return [...encodeBytes(text)]
    .map((byte) =>
      byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
}
