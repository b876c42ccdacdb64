// Lab children run compiled JavaScript from dist/ (the test command runs `npm run build` before
// vitest; no TypeScript loader is installed). This checks dist/ is present and not older than
// the sources a child uses, so a stale build fails with an instruction instead of a riddle.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, found by walking up from this file (works from test/lab and dist/test/lab). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tsconfig.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('package root not found above test/lab');
}

function tsFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFilesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Absolute path of the compiled form of a source file given relative to the package root. */
export function distPath(sourceRelative: string): string {
  return join(packageRoot(), 'dist', sourceRelative.replace(/\.ts$/, '.js'));
}

/** Throws unless every .ts under the given source directories has an up-to-date dist/ twin. */
export function requireBuiltDist(sourceDirs: string[]): void {
  const root = packageRoot();
  const stale: string[] = [];
  for (const dir of sourceDirs) {
    for (const source of tsFilesUnder(join(root, dir))) {
      if (source.endsWith('.test.ts')) continue;
      const built = distPath(relative(root, source));
      if (!existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs)
        stale.push(relative(root, source));
    }
  }
  if (stale.length > 0) {
    throw new Error(
      `dist/ is missing or older than ${stale.length} source file(s) (${stale.slice(0, 5).join(', ')}…): ` +
        'run `npm run build` first (`npm test` does).',
    );
  }
}
