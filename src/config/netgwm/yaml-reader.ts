// Reading netgwm.yml with positions: the `yaml` package's document nodes keep source ranges, and a
// LineCounter maps them to lines, so every problem is reported as `FILE:LINE: … (key path: a.b.c)`
// through the same DiagnosticSink as keepalived.conf. The file is parsed as YAML 1.1 because
// NetGWM reads it with PyYAML: `yes`/`no` are booleans and `15:00` is 900, as NetGWM users expect.

import type { Node, Pair } from 'yaml';
import type { DiagnosticCode, DiagnosticSink } from '../report/diagnostics.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import { yamlModule } from './yaml-module.js';

export interface YamlEntry {
  /** The key as text (YAML allows numbers as keys; NetGWM ids are compared as text). */
  key: string;
  keyNode: Node | null;
  value: Node | null;
  path: string;
}

export class NetgwmYamlReader {
  private readonly lines = new (yamlModule().LineCounter)();
  readonly root: Node | null;
  /** True when the YAML itself could not be parsed; the content is then not validated further. */
  readonly syntaxFailed: boolean;

  constructor(
    readonly file: string,
    text: string,
    private readonly sink: DiagnosticSink,
  ) {
    const document = yamlModule().parseDocument(text, {
      lineCounter: this.lines,
      version: '1.1',
      prettyErrors: false,
      uniqueKeys: true,
    });
    for (const error of document.errors) {
      const line = this.lines.linePos(error.pos[0]).line;
      const message = error.message.split('\n')[0] ?? error.message;
      sink.report(DiagnosticCodes.syntax, { file, line }, `netgwm.yml: ${message}`);
    }
    this.syntaxFailed = document.errors.length > 0;
    this.root = (document.contents as Node | null) ?? null;
  }

  /** Errors reported so far (by this file and anything else sharing the sink). */
  errorCount(): number {
    return this.sink.errorCount;
  }

  /** 1-based line of a node, or 1 when it has no position (an empty document). */
  lineOf(node: Node | null | undefined): number {
    const start = node?.range?.[0];
    return start === undefined ? 1 : this.lines.linePos(start).line;
  }

  report(
    code: DiagnosticCode,
    node: Node | null | undefined,
    path: string,
    message: string,
    hint?: string,
  ): void {
    const where = path === '' ? '' : ` (key path: ${path})`;
    this.sink.report(code, { file: this.file, line: this.lineOf(node) }, `${message}${where}`, hint);
  }

  /** The entries of a mapping, or null (with an error) when the node is something else. */
  entries(node: Node | null, path: string, what: string): YamlEntry[] | null {
    if (!yamlModule().isMap(node)) {
      this.report(DiagnosticCodes.value, node, path, `${what} must be a mapping (key: value, …)`);
      return null;
    }
    const result: YamlEntry[] = [];
    for (const pair of node.items as Pair<unknown, unknown>[]) {
      const keyNode = (pair.key ?? null) as Node | null;
      if (!yamlModule().isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        this.report(DiagnosticCodes.value, keyNode ?? node, path, `keys of ${what} must be plain names`);
        continue;
      }
      const key = String(keyNode.value);
      const value = (pair.value ?? null) as Node | null;
      result.push({ key, keyNode, value, path: path === '' ? key : `${path}.${key}` });
    }
    return result;
  }

  /** Items of a sequence, or null (with an error). */
  items(node: Node | null, path: string, what: string): Array<{ node: Node | null; path: string }> | null {
    if (!yamlModule().isSeq(node)) {
      this.report(DiagnosticCodes.value, node, path, `${what} must be a list`);
      return null;
    }
    return node.items.map((item, index) => ({
      node: (item ?? null) as Node | null,
      path: `${path}[${index}]`,
    }));
  }

  /** The scalar value of a node: undefined when it is not a scalar, null for YAML null / empty. */
  scalar(node: Node | null): unknown {
    if (node === null) return null;
    if (!yamlModule().isScalar(node)) return undefined;
    return node.value;
  }
}
