// authentication { auth_type PASS; auth_pass SECRET } inside vrrp_instance (RFC 2338 §5.3.6;
// RFC 3768 removed it, keepalived keeps it and so do we for interoperability).

import { V2_AUTH_DATA_LENGTH } from '../../packet/vrrp.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { InstanceDraft } from './drafts.js';
import { didYouMean } from '../report/suggest.js';
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
      syntax: 'PASS',
      doc: 'Simple password authentication (VRRPv2 only). AH is refused: IPsec AH is not implemented.',
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        const word = argument(node);
        if (word.text === 'PASS') {
          draft.authType = { value: 'PASS', source: node.source };
        } else if (word.text === 'AH') {
          ctx.sink.report(
            DiagnosticCodes.unsupported,
            word.source,
            'auth_type AH is not supported by vrrpd: IPsec AH authentication is not implemented',
            'use auth_type PASS, or remove the authentication block (RFC 3768 dropped authentication)',
          );
        } else {
          ctx.sink.report(
            DiagnosticCodes.value,
            word.source,
            `unknown auth_type '${word.text}': expected PASS`,
            didYouMean(word.text, ['PASS', 'AH']),
          );
        }
      },
    },
    {
      name: 'auth_pass',
      status: 'supported',
      syntax: '<PASSWORD>',
      doc: `Shared password, at most ${AUTH_PASS_MAX} characters; longer ones are cut to ${AUTH_PASS_MAX} (with a warning) exactly as keepalived does, so mixed pairs still agree.`,
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        const word = argument(node);
        let pass = word.text;
        if (!/^[\x20-\x7e]*$/.test(pass)) {
          // The wire field is 8 raw octets; cutting multi-byte text there would corrupt a character.
          ctx.sink.report(DiagnosticCodes.value, word.source, 'auth_pass must be printable ASCII');
          return;
        }
        if (pass.length > AUTH_PASS_MAX) {
          pass = pass.slice(0, AUTH_PASS_MAX);
          ctx.sink.report(
            DiagnosticCodes.adjusted,
            word.source,
            `auth_pass is longer than ${AUTH_PASS_MAX} characters; only '${pass}' is used`,
            'keepalived truncates it the same way; shorten it in the file so both ends visibly agree',
          );
        }
        if (pass === '') {
          ctx.sink.report(DiagnosticCodes.value, word.source, 'auth_pass is empty');
          return;
        }
        draft.authPass = { value: pass, source: node.source };
      },
    },
  ],
};
