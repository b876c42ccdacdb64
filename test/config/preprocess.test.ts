// Includes, conditional lines, parameters and ~SEQ/~LST over in-memory files.
import { describe, expect, it } from 'vitest';
import { DiagnosticSink } from '../../src/config/report/diagnostics.js';
import { memoryFileSource } from '../../src/config/language/file-source.js';
import { expandBraces, expandWildcards, segmentMatcher } from '../../src/config/language/glob.js';
import { preprocess } from '../../src/config/language/preprocess.js';

function run(files: Record<string, string>, configId = 'main', entryFile = '/etc/k/keepalived.conf') {
  const sink = new DiagnosticSink();
  const output = preprocess({ entryFile, configId, files: memoryFileSource(files), sink });
  return {
    lines: output.lines.map((l) => l.text),
    located: output.lines.map((l) => `${l.source.file}:${l.source.line} ${l.text}`),
    diagnostics: sink.diagnostics,
    filesRead: output.filesRead,
    entryReadable: output.entryReadable,
  };
}

describe('glob helpers', () => {
  it('expands csh brace patterns, nested, and leaves single or unbalanced groups alone', () => {
    expect(expandBraces('{foo/{,cat,dog},bar}')).toEqual(['foo/', 'foo/cat', 'foo/dog', 'bar']);
    expect(expandBraces('a{b,c}d{1,2}')).toEqual(['abd1', 'abd2', 'acd1', 'acd2']);
    expect(expandBraces('a{b}c')).toEqual(['a{b}c']);
    expect(expandBraces('a{b,c')).toEqual(['a{b,c']);
  });

  it('matches *, ? and [...] within one segment, not a leading dot', () => {
    expect(segmentMatcher('*.conf')('a.conf')).toBe(true);
    expect(segmentMatcher('*.conf')('.hidden.conf')).toBe(false);
    expect(segmentMatcher('.*.conf')('.hidden.conf')).toBe(true);
    expect(segmentMatcher('vi_?.conf')('vi_1.conf')).toBe(true);
    expect(segmentMatcher('[0-9][!a]*')('1b')).toBe(true);
    expect(segmentMatcher('[0-9][!a]*')('1a')).toBe(false);
  });

  it('lists files in sorted order and descends through wildcard directories', () => {
    const files = memoryFileSource({
      '/c/d/b.conf': '',
      '/c/d/a.conf': '',
      '/c/d/sub/x.conf': '',
      '/c/e/a.conf': '',
    });
    expect(expandWildcards('/c/d/*.conf', files)).toEqual(['/c/d/a.conf', '/c/d/b.conf']);
    expect(expandWildcards('/c/*/a.conf', files)).toEqual(['/c/d/a.conf', '/c/e/a.conf']);
    expect(expandWildcards('/c/nothing/*.conf', files)).toEqual([]);
  });
});

describe('include', () => {
  it('reads globs and brace patterns relative to the including file, in order, keeping file:line', () => {
    const out = run({
      '/etc/k/keepalived.conf': 'a 1\ninclude conf.d/*.conf\ninclude {x,y}/*.conf\nz 9',
      '/etc/k/conf.d/20.conf': 'c 3',
      '/etc/k/conf.d/10.conf': 'b 2\ninclude ../shared/s.conf',
      '/etc/k/conf.d/notes.txt': 'never',
      '/etc/k/shared/s.conf': 'shared 1',
      '/etc/k/x/1.conf': 'x 1',
      '/etc/k/y/1.conf': 'y 1',
    });
    expect(out.located).toEqual([
      '/etc/k/keepalived.conf:1 a 1',
      '/etc/k/conf.d/10.conf:1 b 2',
      '/etc/k/shared/s.conf:1 shared 1',
      '/etc/k/conf.d/20.conf:1 c 3',
      '/etc/k/x/1.conf:1 x 1',
      '/etc/k/y/1.conf:1 y 1',
      '/etc/k/keepalived.conf:4 z 9',
    ]);
    expect(out.diagnostics).toEqual([]);
    expect(out.filesRead).toEqual([
      '/etc/k/keepalived.conf',
      '/etc/k/conf.d/10.conf',
      '/etc/k/shared/s.conf',
      '/etc/k/conf.d/20.conf',
      '/etc/k/x/1.conf',
      '/etc/k/y/1.conf',
    ]);
  });

  it('warns about a plain include that matches nothing and carries on', () => {
    const out = run({ '/etc/k/keepalived.conf': 'include missing.conf\ninclude none/*.conf\nafter 1' });
    expect(out.lines).toEqual(['after 1']);
    expect(out.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'VRRPD_W_CONFIG_INCLUDE',
        file: '/etc/k/keepalived.conf',
        line: 1,
        message: "include: no file matches 'missing.conf'",
        hint: 'keepalived skips it too; relative paths start from the directory of the including file',
      },
      {
        severity: 'warning',
        code: 'VRRPD_W_CONFIG_INCLUDE',
        file: '/etc/k/keepalived.conf',
        line: 2,
        message: "include: no file matches 'none/*.conf'",
        hint: 'keepalived skips it too; relative paths start from the directory of the including file',
      },
    ]);
  });

  it('makes a missing file an error with the checking variants (includea, includew, includeb)', () => {
    const out = run({
      '/etc/k/keepalived.conf': 'includea missing.conf\nincludew none/*.conf\nincludeb {a,b}.conf',
      '/etc/k/a.conf': 'a 1',
    });
    expect(out.lines).toEqual(['a 1']);
    expect(out.diagnostics.map((d) => `${d.line} ${d.severity} ${d.code} ${d.message}`)).toEqual([
      "1 error VRRPD_E_CONFIG_INCLUDE includea: no readable file matches '/etc/k/missing.conf'",
      "2 error VRRPD_E_CONFIG_INCLUDE includew: no readable file matches '/etc/k/none/*.conf'",
      "3 error VRRPD_E_CONFIG_INCLUDE includeb: no readable file matches '/etc/k/b.conf'",
    ]);
  });

  it('reports an include cycle instead of looping', () => {
    const out = run({
      '/etc/k/keepalived.conf': 'include a.conf',
      '/etc/k/a.conf': 'in_a 1\ninclude b.conf',
      '/etc/k/b.conf': 'include a.conf',
    });
    expect(out.lines).toEqual(['in_a 1']);
    expect(out.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'VRRPD_E_CONFIG_INCLUDE',
        file: '/etc/k/b.conf',
        line: 1,
        message: 'include cycle: /etc/k/a.conf -> /etc/k/b.conf -> /etc/k/a.conf',
      },
    ]);
  });

  it('ignores a byte-order mark and CRLF line ends', () => {
    const out = run({ '/etc/k/keepalived.conf': '\uFEFFa 1\r\nb 2\r\n' });
    expect(out.located).toEqual(['/etc/k/keepalived.conf:1 a 1', '/etc/k/keepalived.conf:2 b 2']);
  });

  it('reports an unreadable main file once, with the file-level error code', () => {
    const out = run({}, 'main', '/etc/k/absent.conf');
    expect(out.entryReadable).toBe(false);
    expect(out.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'VRRPD_E_CONFIG_FILE',
        file: '/etc/k/absent.conf',
        line: 0,
        message: 'cannot read configuration file: no such file',
      },
    ]);
  });
});

describe('conditional lines (@ID, @^ID)', () => {
  const text = [
    '@main router_id main_router',
    '@backup router_id backup_router',
    '@^main peer 1.2.3.4',
    'all 1',
  ].join('\n');

  it('keeps @ID lines for the matching config id and @^ID lines for the others', () => {
    expect(run({ '/etc/k/keepalived.conf': text }, 'main').lines).toEqual(['router_id main_router', 'all 1']);
    expect(run({ '/etc/k/keepalived.conf': text }, 'backup').lines).toEqual([
      'router_id backup_router',
      'peer 1.2.3.4',
      'all 1',
    ]);
    expect(run({ '/etc/k/keepalived.conf': text }, 'other').lines).toEqual(['peer 1.2.3.4', 'all 1']);
  });
});

describe('parameters', () => {
  it('substitutes $NAME before whitespace and ${NAME} anywhere, recursively at use time', () => {
    const out = run({
      '/etc/k/keepalived.conf': [
        '$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}',
        '$ADDRESS_BASE_SUB=0',
        '${ADDRESS_BASE}.100/32',
        '$ADDRESS_BASE_SUB=10',
        '${ADDRESS_BASE}.100/32',
        '$PRIO=150',
        'priority $PRIO',
        'left ${UNDEFINED} and $UNDEFINED alone',
      ].join('\n'),
    });
    expect(out.lines).toEqual([
      '10.2.0.100/32',
      '10.2.10.100/32',
      'priority 150',
      'left ${UNDEFINED} and $UNDEFINED alone',
    ]);
    expect(out.diagnostics).toEqual([]);
  });

  it('combines with conditionals both ways', () => {
    const text =
      '@main $PRIORITY=240\n@backup $PRIORITY=200\npriority $PRIORITY\n$IF_MAIN=@main\n$IF_MAIN nopreempt';
    expect(run({ '/etc/k/keepalived.conf': text }, 'main').lines).toEqual(['priority 240', 'nopreempt']);
    expect(run({ '/etc/k/keepalived.conf': text }, 'backup').lines).toEqual(['priority 200']);
  });

  it('expands multi-line definitions into several lines at the line of use', () => {
    const out = run({
      '/etc/k/keepalived.conf': [
        '$BLOCK= \\',
        'vrrp_instance VI_${N} { \\',
        '  @main priority 130 \\',
        '  virtual_router_id ${N} \\',
        '}',
        '$N=1',
        '$BLOCK',
      ].join('\n'),
    });
    expect(out.located).toEqual([
      '/etc/k/keepalived.conf:7 vrrp_instance VI_1 {',
      '/etc/k/keepalived.conf:7 priority 130',
      '/etc/k/keepalived.conf:7 virtual_router_id 1',
      '/etc/k/keepalived.conf:7 }',
    ]);
  });

  it('provides _PWD, _INSTANCE, _HASH and _BANG', () => {
    const out = run({ '/etc/k/keepalived.conf': 'x ${_PWD} ${_INSTANCE} ${_HASH} ${_BANG}' }, 'node7');
    expect(out.lines).toEqual(['x /etc/k node7 # !']);
  });

  it('warns when a defined name is glued to text without braces', () => {
    const out = run({ '/etc/k/keepalived.conf': '$NET=192.0.2\n$NET.1/24' });
    expect(out.lines).toEqual(['$NET.1/24']);
    expect(out.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'VRRPD_W_CONFIG_SUSPICIOUS',
        file: '/etc/k/keepalived.conf',
        line: 2,
        message: 'parameter $NET is not substituted here: a bare name must be followed by whitespace',
        hint: 'write ${NET} to substitute it inside a word',
      },
    ]);
  });

  it('stops a self-referencing definition with an error', () => {
    const out = run({ '/etc/k/keepalived.conf': '$A=x ${A}\nuse ${A}' });
    expect(out.lines).toEqual([]);
    expect(out.diagnostics.map((d) => [d.line, d.code, d.message])).toEqual([
      [2, 'VRRPD_E_CONFIG_SYNTAX', 'parameter $A does not stop expanding'],
    ]);
  });

  it('refuses ${_RANDOM}: configurations are deterministic', () => {
    const out = run({ '/etc/k/keepalived.conf': 'priority ${_RANDOM 1 100}' });
    expect(out.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['VRRPD_E_CONFIG_UNSUPPORTED', '${_RANDOM} is not supported'],
    ]);
  });
});

describe('~SEQ and ~LST', () => {
  it('repeats the rest of the line over a sequence, decimal or hexadecimal, nested', () => {
    expect(run({ '/etc/k/keepalived.conf': '~SEQ(SUBNET, 0, 3) ip 10.0.${SUBNET}.1' }).lines).toEqual([
      'ip 10.0.0.1',
      'ip 10.0.1.1',
      'ip 10.0.2.1',
      'ip 10.0.3.1',
    ]);
    expect(run({ '/etc/k/keepalived.conf': '~SEQx(S, 0x90, 0x10, 0xc0) fe80::20:${S}:1' }).lines).toEqual([
      'fe80::20:90:1',
      'fe80::20:a0:1',
      'fe80::20:b0:1',
      'fe80::20:c0:1',
    ]);
    expect(run({ '/etc/k/keepalived.conf': '~SEQ(A, 3) ~SEQ(B, 2, 1) ${A}${B}' }).lines).toEqual([
      '12',
      '11',
      '22',
      '21',
      '32',
      '31',
    ]);
  });

  it('repeats over listed values, one or several variables at a time', () => {
    expect(
      run({ '/etc/k/keepalived.conf': '~LST(IP, 1, 2) ~LST(IP1, 5,6) 192.169.${IP}.${IP1}' }).lines,
    ).toEqual(['192.169.1.5', '192.169.1.6', '192.169.2.5', '192.169.2.6']);
    expect(
      run({ '/etc/k/keepalived.conf': '~LST({IP, IP1}, {10,1},{20,4}) 192.168.${IP}.${IP1}' }).lines,
    ).toEqual(['192.168.10.1', '192.168.20.4']);
  });

  it('reports malformed headers', () => {
    const out = run({ '/etc/k/keepalived.conf': '~SEQ(X, 1, 0, 5) a\n~LST({A,B}, {1}) b' });
    expect(out.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [1, '~SEQ step must not be 0'],
      [2, '~LST value {1} has 1 item(s) for 2 variable(s)'],
    ]);
  });
});
