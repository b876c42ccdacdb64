// Lays out /usr/lib/vrrpd for the package: the bundled executables (dist/vrrpd.cjs and
// dist/vrrpctl.cjs, packaging/bundle.ts), the native addon, and the production node_modules (npm ci --omit=dev from the lock file), pruned of
// everything not loaded at run time. Native binaries are the ones `npm ci` built in the repository
// (same lock file, same versions), so the package build compiles nothing.

import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  lstatSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { bundledPackages as bundledPackageNames } from './copyright.js';

export interface StageOptions {
  /** The repository (package.json, dist/, native/, node_modules/). */
  repo: string;
  /** Where /usr/lib/vrrpd is being built. */
  appDir: string;
  /** Node's name for the target architecture (process.arch: x64, arm64, …). */
  nodeArch: string;
}

/** The built files the package needs from the repository, with what makes each of them. */
export function requiredBuildOutputs(repo: string): Array<[path: string, madeBy: string]> {
  return [
    [join(repo, 'dist/vrrpd.cjs'), 'npm run build'],
    [join(repo, 'dist/vrrpctl.cjs'), 'npm run build'],
    [join(repo, 'native/build/Release/vrrpd_native.node'), 'npm ci (builds native/)'],
    [join(repo, 'node_modules/raw-socket/build/Release/raw.node'), 'npm ci'],
  ];
}

/** Packages needed only to compile native code (headers): nothing requires them at run time. */
const BUILD_ONLY_PACKAGES = ['node-addon-api', 'nan'];

/** File names never loaded at run time; their licences go to /usr/share/doc/vrrpd/copyright. */
const PRUNED_FILE =
  /(\.map|\.html|\.d\.ts|\.d\.[cm]ts|\.md|\.markdown|\.gyp|\.gypi|\.cc|\.h)$|^(LICEN[CS]E|CHANGELOG|HISTORY|AUTHORS|Makefile|\.npmignore|\.eslintrc|\.travis\.yml)/i;
/**
 * Directories of a package's top level that hold no code. Only there: deeper, names like doc/ are
 * code (yaml's dist/doc is its document model).
 */
const PRUNED_TOP_DIR =
  /^(test|tests|__tests__|spec|specs|example|examples|doc|docs|\.github|benchmark|coverage)$/i;

function walk(dir: string, visit: (path: string, isDir: boolean) => 'skip' | void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (visit(path, entry.isDirectory()) === 'skip') continue;
    if (entry.isDirectory()) walk(path, visit);
  }
}

/** Removes empty directories below dir (left by the pruning); returns whether dir is now empty. */
function removeEmptyDirectories(dir: string): boolean {
  let empty = true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && removeEmptyDirectories(path)) rmSync(path, { recursive: true });
    else empty = false;
  }
  return empty;
}

function pruneTree(modules: string): void {
  for (const name of bundledPackageNames(modules)) {
    for (const entry of readdirSync(join(modules, name), { withFileTypes: true })) {
      if (entry.isDirectory() && PRUNED_TOP_DIR.test(entry.name))
        rmSync(join(modules, name, entry.name), { recursive: true });
    }
  }
  walk(modules, (path, isDir) => {
    if (!isDir && PRUNED_FILE.test(basename(path))) rmSync(path);
  });
  removeEmptyDirectories(modules);
}

/** Per-package pruning the generic rules cannot know. */
function prunePackages(modules: string, nodeArch: string): void {
  for (const name of BUILD_ONLY_PACKAGES) rmSync(join(modules, name), { recursive: true, force: true });
  // raw-socket loads ./build/Release/raw.node; the rest of build/ is compiler output.
  const raw = join(modules, 'raw-socket');
  rmSync(join(raw, 'build'), { recursive: true, force: true });
  rmSync(join(raw, 'src'), { recursive: true, force: true });
  // netlink loads prebuilds/linux-<arch>/ through node-gyp-build; other architectures' binaries,
  // its C++ sources and its type-only dependencies are dead weight (and wrong-arch ELF files).
  const netlink = join(modules, 'netlink');
  for (const dir of readdirSync(join(netlink, 'prebuilds'))) {
    if (dir !== `linux-${nodeArch}`)
      rmSync(join(netlink, 'prebuilds', dir), { recursive: true, force: true });
  }
  if (!existsSync(join(netlink, 'prebuilds', `linux-${nodeArch}`))) {
    throw new Error(`netlink ships no prebuilt binary for linux-${nodeArch}`);
  }
  for (const dead of ['src', 'node_modules']) rmSync(join(netlink, dead), { recursive: true, force: true });
  // yaml: its browser build and its command-line tool are not used by Node.
  for (const dead of ['browser', 'bin.mjs'])
    rmSync(join(modules, 'yaml', dead), { recursive: true, force: true });
  // bintrees: minified browser bundles.
  rmSync(join(modules, 'bintrees', 'dist'), { recursive: true, force: true });
  rmSync(join(modules, '.package-lock.json'), { force: true });
  // Command-line tools of dependencies (yaml's) are not vrrpd's to offer.
  rmSync(join(modules, '.bin'), { recursive: true, force: true });
}

function installNative(from: string, to: string): void {
  cpSync(from, to);
  chmodSync(to, 0o644);
  // Debug symbols: policy wants shipped objects stripped (and they are a third of the size).
  execFileSync('strip', ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', to]);
}

/** Builds appDir (which must exist and be empty). */
export function stageApp({ repo, appDir, nodeArch }: StageOptions): void {
  const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Record<string, unknown>;
  cpSync(join(repo, 'package.json'), join(appDir, 'package.json'));
  cpSync(join(repo, 'package-lock.json'), join(appDir, 'package-lock.json'));
  // --ignore-scripts: no compiler runs here; the binaries come from the repository's own install.
  execFileSync(
    'npm',
    [
      'ci',
      '--omit=dev',
      '--ignore-scripts',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    { cwd: appDir, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 },
  );
  const modules = join(appDir, 'node_modules');
  prunePackages(modules, nodeArch);
  pruneTree(modules);
  installNative(
    join(repo, 'node_modules/raw-socket/build/Release/raw.node'),
    join(modules, 'raw-socket/build/Release/raw.node'),
  );
  for (const prebuilt of readdirSync(join(modules, 'netlink/prebuilds', `linux-${nodeArch}`))) {
    const path = join(modules, 'netlink/prebuilds', `linux-${nodeArch}`, prebuilt);
    execFileSync('strip', ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', path]);
  }

  // The bundled executables. native.ts finds the addon next to a native/binding.gyp marker above
  // the bundle, version.ts the package.json.
  for (const name of ['vrrpd.cjs', 'vrrpctl.cjs'])
    cpSync(join(repo, 'dist', name), join(appDir, 'dist', name));
  cpSync(join(repo, 'native/binding.gyp'), join(appDir, 'native/binding.gyp'));
  installNative(
    join(repo, 'native/build/Release/vrrpd_native.node'),
    join(appDir, 'native/build/Release/vrrpd_native.node'),
  );

  // What Node reads at run time (the module type: ESM), the name and version --version prints, and
  // the run-time dependencies (the package test loads each one from the installed tree).
  rmSync(join(appDir, 'package-lock.json'));
  const dependencies = Object.fromEntries(
    Object.entries(manifest.dependencies as Record<string, string>).filter(
      ([name]) => !BUILD_ONLY_PACKAGES.includes(name),
    ),
  );
  const runtimeManifest = {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    license: manifest.license,
    private: true,
    type: manifest.type,
    dependencies,
  };
  writeFileSync(join(appDir, 'package.json'), `${JSON.stringify(runtimeManifest, null, 2)}\n`);
}

/** Sum of file sizes under dir, in bytes (for the size report). */
export function treeSize(dir: string): number {
  let total = 0;
  walk(dir, (path, isDir) => {
    if (!isDir) total += lstatSync(path).size;
  });
  return total;
}
