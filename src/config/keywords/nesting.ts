// Which `{` opens which block, decided the way keepalived's parser decides it (lib/parser.c,
// process_stream): by keyword, not by indentation. Only a keyword that takes a block opens one; a
// `{` anywhere else is ignored, so the lines inside it belong to the block around it, and the `}`
// meant to close it closes that block instead. A typo in a block keyword
// (`virtual_ipadress { … }`) therefore ends its vrrp_instance early and everything after it is read
// at the top level, where keepalived skips it line by line. vrrpd reads the file the same way, so
// both run the same instances, and says at each brace what happened.
//
// Blocks of entries (virtual_ipaddress, track_script, unicast_peer…) end at the first `}`; blocks of
// keywords keepalived knows but vrrpd ignores (virtual_server…) are skipped whole, braces balanced.

import { statementNode, type ConfigNode } from '../language/block-tree.js';
import type { StreamItem } from '../language/statements.js';
import type { DiagnosticSink, SourceRef } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { BuildContext } from '../values/scalars.js';
import type { KeywordSpec, TableDescription } from './types.js';
import { reportUnknownKeyword } from './unknown.js';

type Spec = Omit<KeywordSpec<never>, 'apply'>;

interface Level {
  table: TableDescription;
  /** The block for messages, as the keyword handlers name it (`vrrp_instance VI_1`). */
  where: string;
  /** 0 at the top level. */
  depth: number;
  /** Inside a vrrpd extension block: unknown keywords are errors there. */
  lenient: boolean;
  /** Where the block was opened (its keyword), for "never closed". */
  opener: SourceRef | null;
}

export interface NestingInput {
  items: readonly StreamItem[];
  top: TableDescription;
  keywordHomes: ReadonlyMap<string, readonly string[]>;
  sink: DiagnosticSink;
}

export function nestAsKeepalived(input: NestingInput): ConfigNode[] {
  return new Nester(input).read();
}

function lineOf(at: SourceRef, from: SourceRef): string {
  return at.file === from.file ? `line ${at.line}` : `${at.file}:${at.line}`;
}

class Nester {
  private position = 0;
  /** `{`s that opened no block; the `}` that balances each closes the block around it instead. */
  private readonly ignoredOpens: SourceRef[] = [];
  /** Lines already warned about a stray `{` (file:line). */
  private readonly strayOpenLines = new Set<string>();
  private readonly items: readonly StreamItem[];
  private readonly sink: DiagnosticSink;

  constructor(private readonly input: NestingInput) {
    this.items = input.items;
    this.sink = input.sink;
  }

  read(): ConfigNode[] {
    return this.readBlock(
      { table: this.input.top, where: 'the top level', depth: 0, lenient: true, opener: null },
      null,
    );
  }

  private warn(lenient: boolean, at: SourceRef, message: string, hint?: string): void {
    this.sink.report(lenient ? DiagnosticCodes.syntaxLenient : DiagnosticCodes.syntax, at, message, hint);
  }

  /** Statements up to the `}` that ends this block (as keepalived counts them) or the end. */
  private readBlock(level: Level, expectOpenAfter: Spec | null): ConfigNode[] {
    const nodes: ConfigNode[] = [];
    let expectOpen = expectOpenAfter;
    while (this.position < this.items.length) {
      const item = this.items[this.position++] as StreamItem;
      if (expectOpen) {
        const keyword = expectOpen.name;
        expectOpen = null;
        if (item.kind === 'open') continue;
        this.warn(
          level.lenient,
          level.opener as SourceRef,
          `'${keyword}' is not followed by '{': the lines after it are read as its block anyway, as keepalived reads them`,
          `write '${keyword} … {'`,
        );
      }
      if (item.kind === 'open') {
        this.ignoredOpens.push(item.source);
        // One warning per line: a line of a thousand stray braces (or one included many times)
        // is one mistake, and the report must stay as small as the file.
        const key = `${item.source.file}:${item.source.line}`;
        if (this.strayOpenLines.has(key)) continue;
        this.strayOpenLines.add(key);
        this.warn(
          level.lenient,
          item.source,
          `'{' here opens no block (no keyword before it takes one): keepalived ignores it, so the lines after it are read as part of ${level.where}`,
          'a block keyword above is probably misspelt or misplaced',
        );
        continue;
      }
      if (item.kind === 'close') {
        if (this.closesHere(level, item.source)) return nodes;
        continue;
      }
      const node = this.readStatement(item, level);
      if (node) nodes.push(node);
    }
    if (level.opener) {
      this.warn(
        level.lenient,
        level.opener,
        `${level.where} is never closed: missing '}'; keepalived reads it to the end of the configuration, and so does vrrpd`,
        "a '}' is missing before the end of the configuration",
      );
    }
    return nodes;
  }

  /** Whether this `}` ends the block being read (else it is reported and ignored). */
  private closesHere(level: Level, at: SourceRef): boolean {
    const ignoredOpen = this.ignoredOpens.pop();
    if (level.depth > 0) {
      if (ignoredOpen) {
        this.warn(
          level.lenient,
          at,
          `this '}' (which balances the ignored '{' at ${lineOf(ignoredOpen, at)}) ends ${level.where}, as keepalived reads it: what follows is read one level up`,
          'the keyword before that { … } is probably misspelt or misplaced',
        );
      }
      return true;
    }
    this.warn(
      true,
      at,
      ignoredOpen
        ? `'}' (which balances the ignored '{' at ${lineOf(ignoredOpen, at)}) closes nothing at the top level: ignored, as keepalived ignores it`
        : "'}' with no open block: ignored, as keepalived ignores it",
      ignoredOpen ? undefined : 'remove it',
    );
    return false;
  }

  private readStatement(item: Extract<StreamItem, { kind: 'statement' }>, level: Level): ConfigNode | null {
    const keyword = item.words[0].text;
    const spec = level.table.keywords.find((s) => s.name === keyword);
    if (!spec) {
      const ctx: BuildContext = {
        sink: this.sink,
        where: level.where,
        keywordHomes: this.input.keywordHomes,
        lenient: level.lenient,
      };
      reportUnknownKeyword(keyword, item.source, level.table, ctx);
      return null;
    }
    const node = statementNode(item);
    if (spec.status !== 'supported') {
      // keepalived knows these keywords: a block after one is skipped whole.
      if (this.items[this.position]?.kind === 'open') {
        this.position++;
        this.skipBalanced();
        node.children = [];
      }
      return node;
    }
    if (!spec.block) return node;
    if (!spec.contents) {
      node.children = this.readEntries(node, spec, level);
      return node;
    }
    const where =
      node.args.length > 0
        ? [keyword, ...node.args.map((a) => a.text)].join(' ')
        : level.depth === 0
          ? keyword
          : `${keyword} of ${level.where}`;
    node.children = this.readBlock(
      {
        table: spec.contents,
        where,
        depth: level.depth + 1,
        lenient: level.lenient && !spec.extension,
        opener: node.source,
      },
      spec,
    );
    return node;
  }

  /** A block of entries, one per line, to the first `}` (keepalived's alloc_value_block). */
  private readEntries(node: ConfigNode, spec: Spec, level: Level): ConfigNode[] {
    const entries: ConfigNode[] = [];
    const where = `${spec.name} of ${level.where}`;
    let first = true;
    while (this.position < this.items.length) {
      const item = this.items[this.position++] as StreamItem;
      if (first) {
        first = false;
        if (item.kind === 'open') continue;
        this.warn(
          level.lenient,
          node.source,
          `'${spec.name}' is not followed by '{': the lines after it are read as its entries anyway, as keepalived reads them`,
        );
      }
      if (item.kind === 'close') return entries;
      if (item.kind === 'open') {
        this.warn(
          level.lenient,
          item.source,
          `'{' inside ${where} opens no block: ignored, and the first '}' ends ${spec.name}, as keepalived reads it`,
        );
        continue;
      }
      entries.push(statementNode(item));
    }
    this.warn(
      level.lenient,
      node.source,
      `${where} is never closed: missing '}'; keepalived reads it to the end of the configuration, and so does vrrpd`,
    );
    return entries;
  }

  /** After a `{` of a skipped block: to its balancing `}`. */
  private skipBalanced(): void {
    let open = 1;
    while (this.position < this.items.length && open > 0) {
      const item = this.items[this.position++] as StreamItem;
      if (item.kind === 'open') open++;
      else if (item.kind === 'close') open--;
    }
  }
}
