// DEBIAN/control, the Debian changelog, and the dependencies: Node.js and the shared libraries the
// native modules link against (found by dpkg-shlibdeps, as debhelper would).

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PACKAGE_IDENTITY = {
  maintainer: 'vrrpd developers <dev@vrrpd.invalid>',
  copyrightHolder: 'vrrpd developers',
  homepage: 'https://github.com/vrrpd/vrrpd',
};

/**
 * The Node.js versions the package runs on. raw-socket is built with nan, against one Node.js ABI
 * (NODE_MODULE_VERSION, one per major release), so the package needs the major it was built with:
 * `nodejs (>= 20), nodejs (<< 21)` from Node 20 (Debian 13's nodejs, or NodeSource's on Debian 12).
 */
export function nodeDependency(nodeVersion: string): string {
  const major = Number(nodeVersion.split('.')[0]);
  if (!Number.isInteger(major) || major < 20)
    throw new Error(`Node.js ${nodeVersion}: vrrpd needs 20 or later`);
  return `nodejs (>= ${major}), nodejs (<< ${major + 1})`;
}

function elfFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.node'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** dpkg-shlibdeps over every native module: "libc6 (>= 2.34), libstdc++6 (>= 5)"-style. */
export function sharedLibraryDepends(root: string, work: string): string {
  const files = elfFiles(root);
  if (files.length === 0) throw new Error('no native module found in the staging tree');
  // dpkg-shlibdeps wants to run in a source tree: a minimal debian/control is enough.
  const tree = join(work, 'shlibdeps');
  mkdirSync(join(tree, 'debian'), { recursive: true });
  writeFileSync(join(tree, 'debian/control'), 'Source: vrrpd\n\nPackage: vrrpd\nArchitecture: any\n');
  const output = execFileSync('dpkg-shlibdeps', ['-O', '--warnings=0', ...files.map((file) => `-e${file}`)], {
    cwd: tree,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const match = /^shlibs:Depends=(.*)$/m.exec(output);
  if (!match?.[1]) throw new Error(`dpkg-shlibdeps printed no dependencies: ${output}`);
  return match[1];
}

export interface ControlOptions {
  version: string;
  arch: string;
  installedSizeKiB: number;
  depends: string[];
}

export function controlFile(options: ControlOptions): string {
  return [
    'Package: vrrpd',
    `Version: ${options.version}`,
    `Architecture: ${options.arch}`,
    `Maintainer: ${PACKAGE_IDENTITY.maintainer}`,
    `Installed-Size: ${options.installedSizeKiB}`,
    `Depends: ${options.depends.join(', ')}`,
    'Suggests: bash-completion',
    'Section: net',
    'Priority: optional',
    `Homepage: ${PACKAGE_IDENTITY.homepage}`,
    'Description: VRRP router-redundancy daemon, compatible with keepalived',
    ' vrrpd is a drop-in replacement for the VRRP half of keepalived: it reads an',
    ' existing keepalived.conf, speaks the same wire protocol (VRRPv2 and v3,',
    ' unicast and multicast) and runs notify scripts with the same arguments.',
    ' .',
    ' It adds a status command (vrrpctl status), Prometheus metrics with the',
    ' keepalived exporter names, configuration errors reported as FILE:LINE with a',
    ' hint, a hardened systemd unit, and NetGWM-style multi-uplink default-gateway',
    ' failover on whichever router is master.',
    '',
  ].join('\n');
}

/** A one-entry Debian changelog (a native package: the upstream version is the package version). */
export function debianChangelog(version: string, released: Date): string {
  const date = released.toUTCString().replace(/GMT$/, '+0000');
  return [
    `vrrpd (${version}) unstable; urgency=medium`,
    '',
    `  * Release ${version}; the changes are in the project's git history.`,
    '',
    ` -- ${PACKAGE_IDENTITY.maintainer}  ${date}`,
    '',
  ].join('\n');
}
