// `npm run package`: builds vrrpd_<version>_<arch>.deb with dpkg-deb, no debhelper. Runs from the
// compiled tree (dist/packaging/build-deb.js) after `npm ci` and `npm run build`:
//   node dist/packaging/build-deb.js [--out DIR] [--keep-staging]
// Layout: the daemon in /usr/lib/vrrpd, /usr/bin/vrrpd and /usr/bin/vrrpctl, the unit in
// /lib/systemd/system, /etc/default/vrrpd and /etc/vrrpd/vrrpd.conf as conffiles, vrrpd(8) and
// vrrpctl(8) and the bash completions generated from the CLI definitions, docs and examples in
// /usr/share/doc/vrrpd. packaging/README.md explains each choice.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { vrrpctlDefinitions } from '../src/cli/vrrpctl-program.js';
import { vrrpdProgram } from '../src/cli/vrrpd-program.js';
import { bashCompletion } from './completion.js';
import { bundledPackages, debianCopyright } from './copyright.js';
import {
  controlFile,
  debianChangelog,
  nodeDependency,
  PACKAGE_IDENTITY,
  sharedLibraryDepends,
} from './control.js';
import { vrrpctlManPage, vrrpdManPage } from './man-pages.js';
import { requiredBuildOutputs, stageApp, treeSize } from './stage-app.js';

/** The repository root: the directory above dist/packaging (or packaging/) holding package.json. */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'packaging'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('repository root (package.json next to packaging/) not found');
}

function run(command: string, args: string[], cwd?: string): string {
  return execFileSync(command, args, { encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Release date for the man pages and changelog: SOURCE_DATE_EPOCH, else the last commit's, else now. */
function releaseTime(repo: string): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  try {
    return new Date(Number(run('git', ['log', '-1', '--format=%ct'], repo)) * 1000);
  } catch {
    return new Date();
  }
}

function write(path: string, content: string | Buffer, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
}

/** gzip -9n: maximum compression, no name or time stamp in the header (reproducible). */
function gzip(content: string | Buffer): Buffer {
  return gzipSync(content, { level: 9 });
}

/** Every directory 0755 and file 0644 unless executable (0755); dpkg-deb sets root:root. */
function normalizeModes(root: string): void {
  const visit = (dir: string) => {
    chmodSync(dir, 0o755);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) visit(path);
      // Shared objects are loaded, not run: 0644 (some npm prebuilds come 0755).
      else if (entry.name.endsWith('.node')) chmodSync(path, 0o644);
      else chmodSync(path, statSync(path).mode & 0o111 ? 0o755 : 0o644);
    }
  };
  visit(root);
}

/** Installed-Size: KiB, each file rounded up, as dpkg-gencontrol counts. */
function installedSizeKiB(root: string): number {
  let total = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (relative(root, path) !== 'DEBIAN') visit(path);
        total += 1;
      } else {
        total += Math.max(1, Math.ceil(lstatSync(path).size / 1024));
      }
    }
  };
  visit(root);
  return total;
}

/** DEBIAN/md5sums: every regular file except the conffiles (dpkg tracks those itself). */
function md5sums(root: string, conffiles: string[]): string {
  const lines: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      const installed = relative(root, path);
      if (entry.isDirectory()) {
        if (installed !== 'DEBIAN') visit(path);
      } else if (entry.isFile() && !conffiles.includes(`/${installed}`)) {
        lines.push(`${createHash('md5').update(readFileSync(path)).digest('hex')}  ${installed}`);
      }
    }
  };
  visit(root);
  return `${lines.join('\n')}\n`;
}

/** The executables: /usr/bin links into /usr/lib/vrrpd, with Debian's node as the interpreter. */
function installExecutables(root: string, app: string): void {
  for (const name of ['vrrpd', 'vrrpctl']) {
    const script = join(app, 'dist', `${name}.cjs`);
    const text = readFileSync(script, 'utf8');
    if (!text.startsWith('#!/usr/bin/env node\n')) throw new Error(`${script}: unexpected interpreter line`);
    write(script, text.replace('#!/usr/bin/env node\n', '#!/usr/bin/node\n'), 0o755);
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    symlinkSync(`../lib/vrrpd/dist/${name}.cjs`, join(root, 'usr/bin', name));
  }
}

function installDocs(root: string, repo: string, changelog: string, copyright: string): void {
  const doc = join(root, 'usr/share/doc/vrrpd');
  write(join(doc, 'copyright'), copyright);
  write(join(doc, 'changelog.gz'), gzip(changelog));
  write(join(doc, 'README.md.gz'), gzip(readFileSync(join(repo, 'README.md'))));
  write(join(doc, 'systemd.md.gz'), gzip(readFileSync(join(repo, 'systemd/README.md'))));
  write(join(doc, 'config-reference.md.gz'), gzip(readFileSync(join(repo, 'docs/config-reference.md'))));
  // Examples stay uncompressed and keep their modes: an admin copies them to /etc as they are.
  cpSync(join(repo, 'examples'), join(doc, 'examples'), { recursive: true });
}

function main(): void {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, 'keep-staging': { type: 'boolean', default: false } },
  });
  const repo = repositoryRoot();
  const outDir = resolve(values.out ?? repo);
  const missing = requiredBuildOutputs(repo).filter(([path]) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `missing build output: ${missing.map(([path, by]) => `${relative(repo, path)} (${by})`).join(', ')}`,
    );
  }
  for (const tool of ['dpkg-deb', 'dpkg-shlibdeps', 'strip', 'npm']) {
    if (!hasCommand(tool)) {
      throw new Error(`${tool} not found: install dpkg-dev and binutils (scripts/setup.sh does)`);
    }
  }
  const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
    version: string;
    license: string;
  };
  const arch = run('dpkg', ['--print-architecture']);
  const released = releaseTime(repo);
  const date = released.toISOString().slice(0, 10);

  const work = mkdtempSync(join(tmpdir(), 'vrrpd-deb-'));
  try {
    const root = join(work, 'root');
    const app = join(root, 'usr/lib/vrrpd');
    mkdirSync(app, { recursive: true });
    stageApp({ repo, appDir: app, nodeArch: process.arch });
    installExecutables(root, app);

    write(join(root, 'lib/systemd/system/vrrpd.service'), readFileSync(join(repo, 'systemd/vrrpd.service')));
    write(join(root, 'etc/default/vrrpd'), readFileSync(join(repo, 'packaging/deb/default')));
    write(join(root, 'etc/vrrpd/vrrpd.conf'), readFileSync(join(repo, 'packaging/deb/vrrpd.conf')));
    const man8 = join(root, 'usr/share/man/man8');
    write(join(man8, 'vrrpd.8.gz'), gzip(vrrpdManPage(manifest.version, date)));
    write(join(man8, 'vrrpctl.8.gz'), gzip(vrrpctlManPage(manifest.version, date)));
    const completions = join(root, 'usr/share/bash-completion/completions');
    write(join(completions, 'vrrpd'), bashCompletion(vrrpdProgram()));
    write(join(completions, 'vrrpctl'), bashCompletion(vrrpctlDefinitions()));
    const copyright = debianCopyright({
      homepage: PACKAGE_IDENTITY.homepage,
      holder: PACKAGE_IDENTITY.copyrightHolder,
      license: manifest.license,
      packages: bundledPackages(join(app, 'node_modules')),
      sourceModules: join(repo, 'node_modules'),
    });
    installDocs(root, repo, debianChangelog(manifest.version, released), copyright);
    write(
      join(root, 'usr/share/lintian/overrides/vrrpd'),
      readFileSync(join(repo, 'packaging/deb/lintian-overrides')),
    );
    normalizeModes(root);

    const control = join(root, 'DEBIAN');
    mkdirSync(control);
    for (const script of ['postinst', 'prerm', 'postrm']) {
      write(join(control, script), readFileSync(join(repo, 'packaging/deb', script)), 0o755);
    }
    const conffiles = ['/etc/default/vrrpd', '/etc/vrrpd/vrrpd.conf'];
    write(join(control, 'conffiles'), `${conffiles.join('\n')}\n`);
    write(join(control, 'md5sums'), md5sums(root, conffiles));
    const depends = [nodeDependency(process.versions.node), sharedLibraryDepends(root, work)];
    write(
      join(control, 'control'),
      controlFile({ version: manifest.version, arch, installedSizeKiB: installedSizeKiB(root), depends }),
    );

    mkdirSync(outDir, { recursive: true });
    const deb = join(outDir, `vrrpd_${manifest.version}_${arch}.deb`);
    execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', root, deb], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, SOURCE_DATE_EPOCH: String(Math.floor(released.getTime() / 1000)) },
    });
    const mib = (bytes: number) => (bytes / 1048576).toFixed(1);
    process.stdout.write(
      `${deb}: ${mib(statSync(deb).size)} MiB (installed ${mib(treeSize(root))} MiB; depends ${depends.join(', ')})\n`,
    );
    if (values['keep-staging']) process.stdout.write(`staging tree kept in ${root}\n`);
  } finally {
    if (!values['keep-staging']) rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`build-deb: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
