// One table per block kind. Each entry says how vrrpd treats a keepalived keyword — supported,
// ignored with a warning, or refused with an error — and why; the same entries drive the parser,
// the error messages, and the compatibility table in docs/config-reference.md (a test keeps the two
// in step), so behaviour and documentation cannot drift apart.

import type { ConfigNode } from '../language/block-tree.js';
import type { BuildContext } from '../values/scalars.js';

export type KeywordStatus = 'supported' | 'ignored' | 'refused';

export interface KeywordSpec<Target> {
  name: string;
  status: KeywordStatus;
  /** Arguments as the reference shows them, e.g. `<1-255>`; `{ … }` for block keywords. */
  syntax: string;
  /** The default as documented; omitted when "unset" says it all. */
  defaultValue?: string;
  /** Supported: what it does. Ignored or refused: why. Used verbatim in warnings/errors and the docs. */
  doc: string;
  /** Extra advice printed with the warning or error. */
  hint?: string;
  /**
   * Ignored keywords that keepalived 2.2.7 (Debian's build) reports wherever they are written —
   * unknown in that block, deprecated, or not built in — so its `-t` exits 5 for them, and so
   * does vrrpd's.
   */
  keepalivedReports?: true;
  /** Advice when more words are given than the keyword reads (default: its syntax). */
  extraArgumentsHint?: string;
  /**
   * What keepalived does with a wrong number of arguments: by default extra words are ignored and
   * missing ones refused; `skip-block` (a block name that is not one word) skips the whole block.
   */
  wrongArity?: 'skip-block';
  /** [min, max] number of arguments after the keyword (supported keywords). Default [0, 0]. */
  arity?: readonly [number, number];
  /** Whether a `{ … }` block must follow (supported keywords). Default: no block allowed. */
  block?: boolean;
  /**
   * The keywords of that block, when it holds keywords (vrrp_instance, authentication…); without
   * it the block holds entries, one per line (virtual_ipaddress, track_script…). Used to read
   * braces the way keepalived does (nesting.ts).
   */
  contents?: TableDescription;
  /** A vrrpd extension block (uplink_group): keepalived leniency does not apply inside it. */
  extension?: boolean;
  /** What a second occurrence does. Default `last-wins` (with a warning), like most keepalived handlers. */
  repeat?: 'append' | 'last-wins' | 'first-wins';
  apply?: (node: ConfigNode, target: Target, ctx: BuildContext) => void;
}

export interface KeywordTable<Target> {
  /** The block kind as written in the config (`vrrp_instance`) or `top level`. */
  block: string;
  keywords: ReadonlyArray<KeywordSpec<Target>>;
}

/** The parts of a table the docs and the misplaced-keyword hints need, without its target type. */
export interface TableDescription {
  block: string;
  keywords: ReadonlyArray<Omit<KeywordSpec<never>, 'apply'>>;
}
