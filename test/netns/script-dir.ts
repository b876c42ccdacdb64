// A temporary directory of notify / check scripts that passes keepalived's script security:
// the directory is root-owned mode 0700 (under /tmp, which is root-owned and sticky), the scripts
// root-owned mode 0755. Scripts append what they were called with to log files in the same
// directory, which the scenarios read back.

import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class ScriptDir {
  readonly path: string;

  constructor(prefix = 'vrrpd-scripts-') {
    this.path = mkdtempSync(join(tmpdir(), prefix));
    chmodSync(this.path, 0o700);
  }

  /** Absolute path of a file in the directory. */
  file(name: string): string {
    return join(this.path, name);
  }

  /** Writes a /bin/sh script (mode 0755) and returns its path. */
  script(name: string, body: string): string {
    const path = this.file(name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  /** The lines of a log file written by the scripts ([] while it does not exist). */
  lines(name: string): string[] {
    const path = this.file(name);
    if (!existsSync(path)) return [];
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/**
 * Shell text appending one line to LOG: the label, then every argument wrapped in [ ] so that
 * arguments with spaces stay visible, e.g. `notify_master [two words] [x]`.
 */
export function logArgvLine(log: string, label: string): string {
  return `line='${label}'; for a in "$@"; do line="$line [$a]"; done; echo "$line" >> '${log}'`;
}
