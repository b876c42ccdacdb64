// The character-level rules, each case checked against keepalived 2.2.7 (`keepalived -d` dumps).
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/config/report/diagnostics.js';
import type { Token } from '../../src/config/language/lexer.js';
import { stripComment, tokenizeLine } from '../../src/config/language/lexer.js';

const at = { file: 'k.conf', line: 3 };

function words(text: string, braces = true): Array<string | '{' | '}'> {
  const sink = new DiagnosticSink();
  const tokens = tokenizeLine(text, at, sink, { braces });
  expect(sink.diagnostics).toEqual([]);
  return tokens.map((t: Token) => (t.kind === 'word' ? t.text : t.kind === 'open' ? '{' : '}'));
}

describe('stripComment', () => {
  it('cuts at # or ! anywhere outside quotes', () => {
    expect(stripComment('router_id r1!comment # more')).toBe('router_id r1');
    expect(stripComment('  # whole line')).toBe('  ');
    expect(stripComment('priority 100 ! bang')).toBe('priority 100 ');
  });

  it('keeps # and ! inside double or single quotes', () => {
    expect(stripComment('notify "/bin/echo a#b!c" nobody')).toBe('notify "/bin/echo a#b!c" nobody');
    expect(stripComment("notify '/bin/echo a#b' # c")).toBe("notify '/bin/echo a#b' ");
  });

  it('keeps a backslash-escaped comment character', () => {
    expect(stripComment('router_id a\\#b # c')).toBe('router_id a\\#b ');
  });
});

describe('tokenizeLine', () => {
  it('splits on whitespace and makes braces tokens even when glued to a word', () => {
    expect(words('vrrp_instance VI_1{')).toEqual(['vrrp_instance', 'VI_1', '{']);
    expect(words('virtual_ipaddress { 192.0.2.254/24 }')).toEqual([
      'virtual_ipaddress',
      '{',
      '192.0.2.254/24',
      '}',
    ]);
    expect(words('\tpriority\t 100  ')).toEqual(['priority', '100']);
  });

  it('removes quotes and joins quoted parts with adjacent text (keepalived.conf(5) "Quoted strings")', () => {
    expect(words('abcd" efg h jkl "mnop')).toEqual(['abcd efg h jkl mnop']);
    expect(words('abcd "efg h jkl" mnop')).toEqual(['abcd', 'efg h jkl', 'mnop']);
    expect(words(`/bin/echo" a  b "'c'`)).toEqual(['/bin/echo a  b c']);
    expect(words('""')).toEqual(['']);
  });

  it('keeps braces inside quotes as text', () => {
    expect(words('router_id "{x}"')).toEqual(['router_id', '{x}']);
  });

  it('decodes escapes inside and outside quotes', () => {
    expect(words('"\\x41\\"q\\""')).toEqual(['A"q"']);
    expect(words("'\\x41 b'")).toEqual(['A b']);
    expect(words('/bin/ech\\x6f')).toEqual(['/bin/echo']);
    expect(words('/bin/echo\\ x')).toEqual(['/bin/echo x']);
    expect(words('"\\101 \\t| \\\\ \\cA|"')).toEqual(['A \t| \\ \x01|']);
    expect(words('"\\a\\b\\E\\f\\n\\r\\v"')).toEqual(['\x07\b\x1b\f\n\r\v']);
    expect(words('a\\#b')).toEqual(['a#b']);
  });

  it('takes every hex digit after \\x and keeps the low byte, as keepalived does', () => {
    expect(words('"\\x41B"')).toEqual(['\x1b']);
  });

  it('leaves braces alone when asked (include patterns)', () => {
    expect(words('{instances,scripts}/*.conf', false)).toEqual(['{instances,scripts}/*.conf']);
  });

  it('reports an unterminated quote and closes it at the end of the line', () => {
    const sink = new DiagnosticSink();
    const tokens = tokenizeLine(`notify '/bin/echo a`, at, sink);
    expect(tokens.map((t) => (t.kind === 'word' ? t.text : t.kind))).toEqual(['notify', '/bin/echo a']);
    expect(sink.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'VRRPD_W_CONFIG_SYNTAX',
        file: 'k.conf',
        line: 3,
        message:
          "missing closing ' quote: the quoted text runs to the end of the line (keepalived drops the quoted word instead)",
        hint: 'close the single quote',
      },
    ]);
  });
});
