// The layering of src/ as data (ARCHITECTURE.md draws it): which top-level folder may import which,
// and which packages the pure core may use. checkImports() reads import specifiers from source
// text, so the rules are tested on synthetic sources as well as on the real tree.

import path from 'node:path';

export const FOLDERS = [
  'packet',
  'bfd',
  'vrrp',
  'uplink',
  'config',
  'runtime',
  'kernel',
  'scripts',
  'control',
  'daemon',
  'cli',
] as const;
export type Folder = (typeof FOLDERS)[number];

/** Folder → the other src/ folders it may import. Everything not listed is forbidden. */
export const MAY_IMPORT: Record<Folder, readonly Folder[]> = {
  // The pure core: wire formats, the state machine, the uplink policy, the configuration language.
  packet: [],
  // BFD (RFC 5880/5881): its own codec and session machine, beside the VRRP one.
  bfd: [],
  vrrp: ['packet'],
  uplink: ['packet', 'vrrp'],
  config: ['packet', 'vrrp', 'uplink', 'bfd'],
  // The shell: clock/timers/logging first, then the kernel, scripts, control, and the wiring.
  runtime: [],
  kernel: ['packet', 'runtime'],
  scripts: ['packet', 'kernel', 'runtime'],
  control: ['packet', 'bfd', 'vrrp', 'uplink', 'config', 'runtime'],
  daemon: ['packet', 'bfd', 'vrrp', 'uplink', 'config', 'runtime', 'kernel', 'scripts', 'control'],
  cli: ['packet', 'bfd', 'vrrp', 'uplink', 'config', 'runtime', 'kernel', 'scripts', 'control', 'daemon'],
};

export const PURE: readonly Folder[] = ['packet', 'bfd', 'vrrp', 'uplink', 'config'];

/**
 * Packages the pure core may import: pure functions only (path arithmetic, hashes for AH/auth,
 * node:net's address parsers — eslint limits that one to isIP/isIPv4/isIPv6 — and the YAML parser
 * for netgwm.yml text). No file system, clock, process, socket or host access.
 */
export const PURE_PACKAGES: readonly string[] = ['node:path', 'node:crypto', 'node:net', 'yaml'];

/**
 * Single files of the pure core allowed one more package, each with its reason. The yaml parser is
 * loaded on first use (createRequire) so a plain keepalived.conf never pays its memory, and
 * node:crypto so a configuration without AH or uplinks never pays its start-up time (issue 15).
 */
export const PURE_EXCEPTIONS: Readonly<Record<string, readonly string[]>> = {
  'config/netgwm/yaml-module.ts': ['node:module'],
  'packet/lazy-crypto.ts': ['node:module'],
};

export interface Violation {
  file: string;
  specifier: string;
  reason: string;
}

/** Static `import … from '…'`, `export … from '…'`, side-effect `import '…'` and `import('…')`. */
const IMPORT_PATTERN =
  /^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(IMPORT_PATTERN)) found.push((match[1] ?? match[2] ?? match[3])!);
  return found;
}

function folderOf(srcRelative: string): string {
  return srcRelative.split('/')[0]!;
}

/** `file` is relative to src/ (e.g. `vrrp/step.ts`); returns every rule the file breaks. */
export function checkImports(file: string, source: string): Violation[] {
  const from = folderOf(file);
  if (!(FOLDERS as readonly string[]).includes(from))
    return [{ file, specifier: '', reason: `${from}/ is not a known layer (add it to MAY_IMPORT)` }];
  const allowed = MAY_IMPORT[from as Folder];
  const violations: Violation[] = [];
  for (const specifier of importSpecifiers(source)) {
    if (specifier.startsWith('.')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      if (target.startsWith('..')) {
        violations.push({ file, specifier, reason: 'imports from outside src/' });
        continue;
      }
      const to = folderOf(target);
      if (to !== from && !(allowed as readonly string[]).includes(to))
        violations.push({ file, specifier, reason: `${from}/ may not import ${to}/` });
    } else if ((PURE as readonly string[]).includes(from)) {
      const bare = specifier.startsWith('node:') ? specifier : specifier.split('/')[0]!;
      const normalized = /^[a-z_]+$/.test(bare) && !PURE_PACKAGES.includes(bare) ? `node:${bare}` : bare;
      const packages = [...PURE_PACKAGES, ...(PURE_EXCEPTIONS[file] ?? [])];
      if (!packages.includes(bare) && !packages.includes(normalized))
        violations.push({ file, specifier, reason: `pure core (${from}/) may not use ${specifier}` });
    }
  }
  return violations;
}
