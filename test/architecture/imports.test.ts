// Enforces ARCHITECTURE.md's layering on the real tree: no src/ file imports a folder its layer
// may not see, and the pure core uses no I/O package. The checker itself is tested on small
// synthetic sources so a broken pattern cannot pass the tree by finding nothing.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImports, FOLDERS, importSpecifiers, MAY_IMPORT } from './import-rules.js';

const SRC = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return sourceFiles(path.join(dir, entry.name), rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

describe('the checker', () => {
  it('finds static, re-export, side-effect and dynamic imports, not words in strings', () => {
    const source = [
      "import { a } from '../packet/a.js';",
      "import type { B } from './b.js';",
      "export { c } from '../vrrp/c.js';",
      "import '../runtime/side.js';",
      "const m = await import('../control/lazy.js');",
      "const text = 'import is not from here';",
      'import {',
      '  d,',
      "} from 'node:fs';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([
      '../packet/a.js',
      './b.js',
      '../vrrp/c.js',
      '../runtime/side.js',
      '../control/lazy.js',
      'node:fs',
    ]);
  });

  it('reports a core folder importing the shell, and I/O in the pure core', () => {
    expect(checkImports('vrrp/step.ts', "import { x } from '../control/status-types.js';")).toEqual([
      {
        file: 'vrrp/step.ts',
        specifier: '../control/status-types.js',
        reason: 'vrrp/ may not import control/',
      },
    ]);
    expect(checkImports('config/load.ts', "import { readFileSync } from 'node:fs';")[0]?.reason).toBe(
      'pure core (config/) may not use node:fs',
    );
    expect(checkImports('packet/x.ts', "import { readFile } from 'fs';")).toHaveLength(1);
    expect(checkImports('config/netgwm/read.ts', "import { parse } from 'yaml';")).toEqual([]);
    expect(checkImports('daemon/d.ts', "import { x } from '../cli/vrrpd.js';")[0]?.reason).toBe(
      'daemon/ may not import cli/',
    );
    expect(checkImports('kernel/k.ts', "import { x } from './inner/y.js';\nimport 'netlink';")).toEqual([]);
  });

  it('the allowed graph has no cycle (a layer never reaches back to itself)', () => {
    const reaches = (from: string, seen = new Set<string>()): Set<string> => {
      for (const to of MAY_IMPORT[from as keyof typeof MAY_IMPORT]) {
        if (!seen.has(to)) {
          seen.add(to);
          reaches(to, seen);
        }
      }
      return seen;
    };
    for (const folder of FOLDERS) expect(reaches(folder).has(folder), folder).toBe(false);
  });
});

describe('src/ keeps its layers', () => {
  const files = sourceFiles(SRC);

  it('every top-level folder of src/ is a known layer', () => {
    expect(new Set(files.map((f) => f.split('/')[0]))).toEqual(new Set(FOLDERS));
  });

  it('no file imports across a forbidden edge or uses I/O in the pure core', () => {
    expect(files.length).toBeGreaterThan(100);
    const violations = files.flatMap((file) =>
      checkImports(file, readFileSync(path.join(SRC, file), 'utf8')),
    );
    expect(violations).toEqual([]);
  });
});

// ARCHITECTURE.md's shell conventions: one timer service (runtime/timers.ts), one way to turn a
// thrown value into text (runtime/errors.ts), and shell files small enough to read in one sitting.
describe('src/ keeps its conventions', () => {
  const files = sourceFiles(SRC);
  const text = (file: string) => readFileSync(path.join(SRC, file), 'utf8');

  it('arms timers only through runtime/timers.ts', () => {
    const offenders = files.filter(
      (file) => !file.startsWith('runtime/') && /(?<![.\w])(setTimeout|setInterval)\(/.test(text(file)),
    );
    expect(offenders).toEqual([]);
  });

  // Start-up cost (issue 15): the netlink package's index and node:crypto are loaded by no module
  // at start; kernel/netlink-package.ts imports the package file by file, and packet/lazy-crypto.ts
  // loads crypto on first use.
  it('loads the netlink package file by file and node:crypto lazily', () => {
    const offenders = files.filter(
      (file) =>
        /from '(node:)?crypto'|require\('(node:)?crypto'\)/.test(text(file)) ||
        (file !== 'kernel/netlink-package.ts' && /from 'netlink(\/[^']*)?'/.test(text(file))),
    );
    expect(offenders).toEqual([]);
  });

  // Start-up time and memory (issue 15): node built-ins only some configurations need are loaded on
  // first use (runtime/builtins.ts), and node:fs/promises, which brings streams, readline and file
  // watchers with it, by no module (runtime/fs-async.ts has the promise forms the daemon uses).
  // node:net too (the control socket is the addon's): only vrrpctl's client imports it.
  it('loads child_process, dgram, dns, net and perf_hooks on first use, and never fs/promises', () => {
    const offenders = files.filter(
      (file) =>
        (file !== 'runtime/builtins.ts' &&
          /^import (?!type )[^;]*from 'node:(child_process|dgram|dns|dns\/promises|perf_hooks)';/m.test(
            text(file),
          )) ||
        (file !== 'runtime/builtins.ts' &&
          file !== 'control/client.ts' &&
          /^import (?!type )[^;]*from 'node:net';/m.test(text(file))) ||
        /^import (?!type )[^;]*from 'node:fs\/promises';/m.test(text(file)),
    );
    expect(offenders).toEqual([]);
  });

  // Memory (issue 15): toISOString() pages ~0.6 MiB of ICU's time-zone data into the process; the
  // shell stamps times with runtime/iso-time.ts. The pure uplink policy (uplink groups only) may not
  // import runtime/ and keeps toISOString.
  it('stamps times in the shell with isoTime, never toISOString', () => {
    const offenders = files.filter(
      (file) =>
        !file.startsWith('uplink/') && file !== 'runtime/iso-time.ts' && /\.toISOString\(/.test(text(file)),
    );
    expect(offenders).toEqual([]);
  });

  it('turns thrown values into text only through runtime/errors.ts', () => {
    const offenders = files.filter(
      (file) => file !== 'runtime/errors.ts' && /instanceof Error \? \w+\.message/.test(text(file)),
    );
    expect(offenders).toEqual([]);
  });

  // Lines people grep and alert on need a stable code and a documented meaning: everything at
  // info and above goes through say() and the catalogue (runtime/messages*.ts), never free text.
  it('logs info and above only through the catalogue (say), never with free text', () => {
    // Calls that write whatever text they are given at a level chosen at run time, each on purpose:
    const DYNAMIC_LEVEL_SITES = [
      // configuration diagnostics: their `code` is the diagnostic's own (docs/config-reference.md)
      'daemon/service.ts',
    ];
    const SHELL = ['kernel/', 'scripts/', 'control/', 'daemon/', 'cli/'];
    const patterns = [
      /\blogger\s*\.\s*(info|warn|error|fatal)\s*\(/, // logger.warn({…}, 'text')
      /\breporter\s*\.\s*log\s*\(/, // a reporter's free-text log
      /\.log\(\s*['"`](info|warn|error|fatal)['"`]/, // a log callback given a level and text
    ];
    const offenders = files
      .filter((file) => SHELL.some((folder) => file.startsWith(folder)))
      .flatMap((file) => {
        const source = text(file);
        const found = patterns.filter((pattern) => pattern.test(source)).map(String);
        if (!DYNAMIC_LEVEL_SITES.includes(file) && /\blogger\s*\[/.test(source)) found.push('logger[level]');
        return found.map((pattern) => `${file}: ${pattern}`);
      });
    expect(offenders).toEqual([]);
    // The listed sites still exist (a stale entry would hide a new one).
    for (const file of DYNAMIC_LEVEL_SITES) expect(text(file)).toMatch(/\blogger\s*\[/);
  });

  it('keeps every daemon file under 600 lines', () => {
    const long = files
      .filter((file) => file.startsWith('daemon/'))
      .map((file) => ({ file, lines: text(file).split('\n').length }))
      .filter(({ lines }) => lines > 600);
    expect(long).toEqual([]);
  });
});
