// The version `vrrpd --version` prints, read from the package.json beside the code (the repository's,
// or /usr/lib/vrrpd/package.json in the Debian package), so a release bumps one number.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findVersion(): string {
  // src/cli (vitest), dist/src/cli (built), /usr/lib/vrrpd/dist/src/cli (package): at most 3 up.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === 'vrrpd' && typeof parsed.version === 'string') return parsed.version;
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

export const VRRPD_VERSION = findVersion();
