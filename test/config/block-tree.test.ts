// Statements and blocks, whatever the brace style, with file:line on every node.
import { describe, expect, it } from 'vitest';
import type { ConfigNode } from '../../src/config/language/block-tree.js';
import { buildBlockTree } from '../../src/config/language/block-tree.js';
import { DiagnosticSink } from '../../src/config/report/diagnostics.js';

function tree(text: string) {
  const sink = new DiagnosticSink();
  const lines = text.split('\n').map((t, i) => ({ text: t, source: { file: 'k.conf', line: i + 1 } }));
  const nodes = buildBlockTree(
    lines.filter((l) => l.text.trim() !== ''),
    sink,
  );
  return { nodes, diagnostics: sink.diagnostics };
}

/** Compact rendering: keyword(args)@line{children}. */
function show(nodes: ConfigNode[]): string[] {
  return nodes.map((n) => {
    const head = `${[n.keyword, ...n.args.map((a) => a.text)].join(' ')}@${n.source.line}`;
    return n.children === null ? head : `${head}{${show(n.children).join('; ')}}`;
  });
}

describe('buildBlockTree', () => {
  it('reads braces on the same line, on the next line, and whole blocks on one line', () => {
    const { nodes, diagnostics } = tree(
      [
        'vrrp_instance A {',
        '  priority 100',
        '  unicast_peer { 192.0.2.2 }',
        '}',
        'vrrp_instance B',
        '{',
        '  virtual_ipaddress',
        '  {',
        '    192.0.2.9/24 dev eth0',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(show(nodes)).toEqual([
      'vrrp_instance A@1{priority 100@2; unicast_peer@3{192.0.2.2@3}}',
      'vrrp_instance B@5{virtual_ipaddress@7{192.0.2.9/24 dev eth0@9}}',
    ]);
  });

  it('starts a new statement after a closing brace on the same line', () => {
    const { nodes } = tree('a { x 1 } b 2\nc');
    expect(show(nodes)).toEqual(['a@1{x 1@1}', 'b 2@1', 'c@2']);
  });

  it('reports a block that is never closed at the line that opened it', () => {
    const { nodes, diagnostics } = tree('global_defs {\n  router_id r\nvrrp_instance X {\n  priority 1\n}');
    expect(show(nodes)).toEqual(['global_defs@1{router_id r@2; vrrp_instance X@3{priority 1@4}}']);
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        code: 'VRRPD_E_CONFIG_SYNTAX',
        file: 'k.conf',
        line: 1,
        message: "block opened here is never closed: missing '}'",
        hint: "a '}' is missing before the end of the configuration",
      },
    ]);
  });

  it('reports a stray closing brace and a brace with no keyword', () => {
    const { nodes, diagnostics } = tree('a 1\n}\n{ b 2 }\nc 3');
    expect(show(nodes)).toEqual(['a 1@1', 'c 3@4']);
    expect(diagnostics.map((d) => [d.line, d.message])).toEqual([
      [2, "unexpected '}' with no open block"],
      [3, "'{' without a keyword before it"],
    ]);
  });
});
