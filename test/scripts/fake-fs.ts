// A fabricated filesystem for the pure security checks: paths map to lstat-like entries, symlinks
// carry their target. Anything not listed does not exist.

import type { InspectResult, PathEntry, PathInspector } from '../../src/scripts/security.js';

export type FakeNode =
  | { type: 'file' | 'directory' | 'other'; mode: number; uid?: number; gid?: number }
  | { type: 'symlink'; target: string; uid?: number; gid?: number };

export function fakeInspector(nodes: Record<string, FakeNode>): PathInspector {
  const table = new Map(Object.entries(nodes));
  return {
    lstat(file: string): InspectResult<PathEntry> {
      const node = table.get(file);
      if (node === undefined) return { ok: false, code: 'ENOENT' };
      const mode = node.type === 'symlink' ? 0o777 : node.mode;
      return { ok: true, value: { type: node.type, mode, uid: node.uid ?? 0, gid: node.gid ?? 0 } };
    },
    readlink(file: string): InspectResult<string> {
      const node = table.get(file);
      if (node === undefined) return { ok: false, code: 'ENOENT' };
      if (node.type !== 'symlink') return { ok: false, code: 'EINVAL' };
      return { ok: true, value: node.target };
    },
  };
}

/** A sane root-owned tree: / /etc /etc/keepalived /srv /srv/keep.sh /tmp (sticky) /usr /usr/bin. */
export function saneTree(overrides: Record<string, FakeNode> = {}): PathInspector {
  return fakeInspector({
    '/': { type: 'directory', mode: 0o755 },
    '/etc': { type: 'directory', mode: 0o755 },
    '/etc/keepalived': { type: 'directory', mode: 0o755 },
    '/srv': { type: 'directory', mode: 0o755 },
    '/srv/keep.sh': { type: 'file', mode: 0o755 },
    '/tmp': { type: 'directory', mode: 0o1777 },
    '/usr': { type: 'directory', mode: 0o755 },
    '/usr/bin': { type: 'directory', mode: 0o755 },
    ...overrides,
  });
}
