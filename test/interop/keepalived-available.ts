// The interop suites need Debian's keepalived (scripts/setup.sh installs it; .ci/run runs that).
// Like requireRoot(): outside CI a missing keepalived is a skip with a reason, in CI a failure.

import { accessSync, constants } from 'node:fs';

export const KEEPALIVED_BINARY = '/usr/sbin/keepalived';

let cached: string | undefined | null = null;

/** undefined when keepalived can run; otherwise why not (throws instead when CI=true). */
export function requireKeepalived(): string | undefined {
  if (cached === null) {
    try {
      accessSync(KEEPALIVED_BINARY, constants.X_OK);
      cached = undefined;
    } catch {
      cached = `${KEEPALIVED_BINARY} is not installed (apt-get install keepalived, or run scripts/setup.sh)`;
    }
  }
  if (cached !== undefined && process.env.CI === 'true') {
    throw new Error(`CI=true but the interop tests cannot run: ${cached}`);
  }
  return cached;
}
