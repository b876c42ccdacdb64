// vrrp_script NAME { … }: a command run periodically whose exit status feeds the instances and sync
// groups that track it; and track_file NAME { … }: a file whose numeric content does the same.

import type { ConfigWord } from '../language/block-tree.js';
import type { ScriptDraft, TrackFileDraft } from './drafts.js';
import { parseScriptSpec } from '../values/script-command.js';
import type { BuildContext } from '../values/scalars.js';
import { reportInvalid } from '../values/scalars.js';
import { KEEPALIVED_READS_LEADING_NUMBER } from '../values/scalars.js';
import { parseInteger, parseWholeSeconds } from '../values/scalars.js';
import { argument } from './common.js';
import type { KeywordTable } from './types.js';

/** `weight W [reverse]` of vrrp_script and track_file blocks. */
function parseDefaultWeight(
  args: readonly ConfigWord[],
  limit: number,
  ctx: BuildContext,
): { weight: number; reverse: boolean } | null {
  const [weightWord, reverseWord] = args;
  if (!weightWord) return null;
  const weight = parseInteger(
    weightWord,
    'weight',
    { min: -limit, max: limit },
    ctx,
    KEEPALIVED_READS_LEADING_NUMBER,
  );
  if (weight === null) return null;
  if (reverseWord && reverseWord.text !== 'reverse') {
    reportInvalid(
      ctx,
      reverseWord.source,
      `weight: expected 'reverse' after the weight, got '${reverseWord.text}'`,
    );
    return null;
  }
  return { weight, reverse: reverseWord !== undefined };
}

export const VRRP_SCRIPT_TABLE: KeywordTable<ScriptDraft> = {
  block: 'vrrp_script',
  keywords: [
    {
      name: 'script',
      status: 'supported',
      syntax: '<PATH>|"<PATH> <ARGS…>"',
      doc: 'Command to run; quote it when it has arguments (keepalived silently drops unquoted extra words; vrrpd drops them too, with a warning).',
      arity: [1, 1],
      extraArgumentsHint:
        'quote the whole command to pass arguments: script "/path/to/check arg1 arg2"; unquoted, only the first word runs',
      apply: (node, draft, ctx) => {
        const spec = parseScriptSpec(node, ctx);
        if (spec) draft.script = spec;
      },
    },
    {
      name: 'interval',
      status: 'supported',
      syntax: '<SECONDS>',
      defaultValue: '1',
      doc: 'Seconds between runs (whole seconds).',
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        const seconds = parseWholeSeconds(
          argument(node),
          'interval',
          { min: 1, max: 86400 },
          ctx,
          KEEPALIVED_READS_LEADING_NUMBER,
        );
        if (seconds !== null) draft.intervalMs = seconds * 1000;
      },
    },
    {
      name: 'timeout',
      status: 'supported',
      syntax: '<SECONDS>',
      defaultValue: 'the interval',
      doc: 'Seconds after which a run counts as failed and is killed.',
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        const seconds = parseWholeSeconds(
          argument(node),
          'timeout',
          { min: 1, max: 86400 },
          ctx,
          KEEPALIVED_READS_LEADING_NUMBER,
        );
        if (seconds !== null) draft.timeoutMs = seconds * 1000;
      },
    },
    {
      name: 'weight',
      status: 'supported',
      syntax: '<-253..253> [reverse]',
      defaultValue: '0',
      doc: 'Priority adjustment: 0 means FAULT on failure; >0 added while succeeding; <0 added while failing.',
      arity: [1, 2],
      apply: (node, draft, ctx) => {
        const parsed = parseDefaultWeight(node.args, 253, ctx);
        if (parsed) {
          draft.weight = parsed.weight;
          draft.weightReverse = parsed.reverse;
        }
      },
    },
    {
      name: 'rise',
      status: 'supported',
      syntax: '<COUNT>',
      defaultValue: '1',
      doc: 'Consecutive successes needed to count as up.',
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        draft.rise =
          parseInteger(argument(node), 'rise', { min: 1, max: 1000 }, ctx, KEEPALIVED_READS_LEADING_NUMBER) ??
          draft.rise;
      },
    },
    {
      name: 'fall',
      status: 'supported',
      syntax: '<COUNT>',
      defaultValue: '1',
      doc: 'Consecutive failures needed to count as down.',
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        draft.fall =
          parseInteger(argument(node), 'fall', { min: 1, max: 1000 }, ctx, KEEPALIVED_READS_LEADING_NUMBER) ??
          draft.fall;
      },
    },
    {
      name: 'user',
      status: 'supported',
      syntax: '<USER> [GROUP]',
      defaultValue: 'global script_user',
      doc: 'User and group to run the script as.',
      arity: [1, 2],
      apply: (node, draft) => {
        draft.user = { user: argument(node).text, group: node.args[1]?.text ?? null };
      },
    },
    {
      name: 'init_fail',
      status: 'supported',
      syntax: '',
      doc: 'Consider the script failed until its first successful run.',
      apply: (_node, draft) => {
        draft.initFail = true;
      },
    },
  ],
};

export const TRACK_FILE_TABLE: KeywordTable<TrackFileDraft> = {
  block: 'track_file',
  keywords: [
    {
      name: 'file',
      status: 'supported',
      syntax: '<PATH>',
      doc: 'File to watch; it holds one integer.',
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        const path = argument(node).text;
        if (!path.startsWith('/')) {
          reportInvalid(ctx, node.source, `track_file path '${path}' must be absolute`);
          return;
        }
        draft.path = path;
      },
    },
    {
      name: 'weight',
      status: 'supported',
      syntax: '<-2147483647..2147483647> [reverse]',
      defaultValue: '1',
      doc: 'Multiplier of the file’s value; with 0, any non-zero value means FAULT.',
      arity: [1, 2],
      apply: (node, draft, ctx) => {
        const parsed = parseDefaultWeight(node.args, 2147483647, ctx);
        if (parsed) {
          draft.weight = parsed.weight;
          draft.weightReverse = parsed.reverse;
        }
      },
    },
    {
      name: 'init_file',
      status: 'supported',
      syntax: '[VALUE] [overwrite]',
      doc: 'Create the file with VALUE (default 0) at startup if missing, or always with overwrite.',
      arity: [0, 2],
      apply: (node, draft, ctx) => {
        const init = { value: 0, overwrite: false };
        for (const word of node.args) {
          if (word.text === 'overwrite') init.overwrite = true;
          else {
            const value = parseInteger(word, 'init_file', { min: -2147483648, max: 2147483647 }, ctx);
            if (value === null) return;
            init.value = value;
          }
        }
        draft.init = init;
      },
    },
  ],
};
