// vrrp_track_process NAME { … } (keepalived 2.2.7 vrrp_parser.c, defaults vrrp_data.c): the number
// of running processes that match decides up/down (quorum ≤ count ≤ quorum_max), and instances or
// sync groups tracking it by `track_process { NAME [weight W [reverse]] }` react like to a vrrp_script.

import type { ConfigWord } from '../language/block-tree.js';
import type { ProcessTrackDraft } from './drafts.js';
import type { BuildContext } from '../values/scalars.js';
import { parseInteger, parseSeconds, reportInvalid } from '../values/scalars.js';
import type { KeywordTable } from './types.js';

type P = ProcessTrackDraft;

function delayApply(which: 'both' | 'fork' | 'terminate') {
  return (node: { args: readonly ConfigWord[] }, draft: P, ctx: BuildContext): void => {
    const word = node.args[0]!;
    const label = which === 'both' ? 'delay' : `${which}_delay`;
    const seconds = parseSeconds(
      word,
      `${label} of vrrp_track_process ${draft.name}`,
      { min: 0.000001, max: 3600 },
      ctx,
      {
        consequence: 'ignored, as keepalived ignores it',
      },
    );
    if (seconds === null) return;
    const ms = Math.round(seconds * 1000);
    if (which !== 'terminate') draft.forkDelayMs = ms;
    if (which !== 'fork') draft.terminateDelayMs = ms;
  };
}

const SKIPPED = 'ignored, as keepalived ignores it';

export const VRRP_TRACK_PROCESS_TABLE: KeywordTable<P> = {
  block: 'vrrp_track_process',
  keywords: [
    {
      name: 'process',
      status: 'supported',
      syntax: '<NAME> [<PARAM> …]',
      doc: 'The process to count: its name (/proc/PID/comm, 15 characters), or with parameters argv[0] of its command line and the parameters (param_match exact unless given).',
      arity: [1, 255],
      // keepalived keeps the first ("Process already set for track process … - ignoring …").
      repeat: 'first-wins',
      apply: (node, draft) => {
        const [name, ...params] = node.args;
        draft.process = name!.text;
        if (params.length > 0) {
          draft.params = params.map((p) => p.text);
          draft.paramMatch ??= 'exact';
          draft.fullCommand = true;
        }
      },
    },
    {
      name: 'param_match',
      status: 'supported',
      syntax: '[initial|partial]',
      defaultValue: 'exact when parameters are given',
      doc: 'How the parameters compare: exact (no argument), partial (a prefix of whole arguments), initial (the last one may be a prefix).',
      arity: [0, 1],
      apply: (node, draft, ctx) => {
        const word = node.args[0];
        if (!word) draft.paramMatch = 'exact';
        else if (word.text === 'initial' || word.text === 'partial') draft.paramMatch = word.text;
        else {
          reportInvalid(
            ctx,
            word.source,
            `invalid param_match type '${word.text}'`,
            'initial or partial, or nothing for exact',
            SKIPPED,
          );
          return;
        }
        draft.fullCommand = true;
      },
    },
    {
      name: 'full_command',
      status: 'supported',
      syntax: '',
      doc: 'Match argv[0] of the command line instead of the process name.',
      apply: (_node, draft) => {
        draft.fullCommand = true;
      },
    },
    {
      name: 'weight',
      status: 'supported',
      syntax: '<-254..254> [reverse]',
      defaultValue: '0',
      doc: 'Priority adjustment as for vrrp_script: 0 means FAULT without quorum; >0 added with quorum; <0 added without.',
      arity: [1, 2],
      repeat: 'first-wins',
      apply: (node, draft, ctx) => {
        const [value, option] = node.args;
        if (draft.weight !== null) {
          reportInvalid(
            ctx,
            node.source,
            `weight already set for vrrp_track_process ${draft.name} - '${value!.text}' is ignored`,
            undefined,
            SKIPPED,
          );
          return;
        }
        const weight = parseInteger(
          value!,
          `weight of vrrp_track_process ${draft.name}`,
          { min: -254, max: 254 },
          ctx,
          {
            consequence: SKIPPED,
          },
        );
        if (weight === null) return;
        draft.weight = weight;
        if (option?.text === 'reverse') draft.weightReverse = true;
        else if (option)
          reportInvalid(
            ctx,
            option.source,
            `vrrp_track_process ${draft.name}: unknown weight option '${option.text}'`,
            "only 'reverse'",
            SKIPPED,
          );
      },
    },
    {
      name: 'quorum',
      status: 'supported',
      syntax: '<1..65535>',
      defaultValue: '1',
      doc: 'At least this many matching processes for the tracker to be up.',
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        const quorum = parseInteger(
          node.args[0]!,
          `quorum of vrrp_track_process ${draft.name}`,
          { min: 1, max: 65535 },
          ctx,
          {
            consequence: SKIPPED,
          },
        );
        if (quorum === null) return;
        if (draft.quorumMax !== null && quorum > draft.quorumMax) {
          reportInvalid(
            ctx,
            node.source,
            `quorum ${quorum} is greater than quorum_max ${draft.quorumMax}`,
            undefined,
            SKIPPED,
          );
          return;
        }
        draft.quorum = quorum;
      },
    },
    {
      name: 'quorum_max',
      status: 'supported',
      syntax: '<0..65535>',
      defaultValue: 'unlimited',
      doc: 'At most this many matching processes for the tracker to be up; 0 tracks the absence of the process (quorum 0).',
      arity: [1, 1],
      apply: (node, draft, ctx) => {
        const max = parseInteger(
          node.args[0]!,
          `quorum_max of vrrp_track_process ${draft.name}`,
          { min: 0, max: 65535 },
          ctx,
          {
            consequence: SKIPPED,
          },
        );
        if (max === null) return;
        if ((max > 0 || draft.quorum > 1) && max < draft.quorum) {
          reportInvalid(
            ctx,
            node.source,
            `quorum_max ${max} is less than quorum ${draft.quorum}`,
            undefined,
            SKIPPED,
          );
          return;
        }
        draft.quorumMax = max;
        if (max === 0) draft.quorum = 0;
        else if (draft.quorum === 0) draft.quorum = 1;
      },
    },
    {
      name: 'delay',
      status: 'supported',
      syntax: '<SECONDS>',
      doc: 'Sets both fork_delay and terminate_delay.',
      arity: [1, 1],
      apply: delayApply('both'),
    },
    {
      name: 'fork_delay',
      status: 'supported',
      syntax: '<SECONDS>',
      defaultValue: '0',
      doc: 'A quorum reached by a fork counts only after this long (0.000001..3600 s).',
      arity: [1, 1],
      apply: delayApply('fork'),
    },
    {
      name: 'terminate_delay',
      status: 'supported',
      syntax: '<SECONDS>',
      defaultValue: '0',
      doc: 'A quorum lost by a process exiting counts only after this long (0.000001..3600 s).',
      arity: [1, 1],
      apply: delayApply('terminate'),
    },
  ],
};
