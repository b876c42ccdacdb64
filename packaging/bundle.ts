// `npm run build`'s second step: esbuild bundles each executable (src/cli/vrrpd.ts, vrrpctl.ts)
// into one CommonJS file, dist/vrrpd.cjs and dist/vrrpctl.cjs, which the Debian package ships and
// the lab runs. Why (issue 15, test/bench/footprint-probe.ts): loading ~250 ES modules one by one
// costs the daemon about 13 MiB of resident memory and half a second of start-up over one
// pre-linked script, and a CommonJS entry point spares node's ES module loader (~3 MiB).
//
// What stays outside the bundle, loaded from node_modules with require() and only when used:
// the packages with native code (raw-socket, netlink, node-gyp-build find their .node files
// relative to their own directory) and the optional ones (yaml with an uplink group, commander for --help and errors) — bundled, their code would sit in
// the script's source text whether used or not. Whitespace and syntax are minified, names are
// kept so stack traces in logs stay readable.

import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../test/lab/dist.js';

const BUNDLES = [
  { entry: 'src/cli/vrrpd.ts', out: 'dist/vrrpd.cjs' },
  { entry: 'src/cli/vrrpctl.ts', out: 'dist/vrrpctl.cjs' },
] as const;

/** Node resolves these at run time (see the header). */
function externalPackages(root: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return Object.keys(manifest.dependencies);
}

/** `import.meta.url` of the ES sources, for a CommonJS bundle: the bundle file's own URL. */
const IMPORT_META_SHIM = "export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;\n";

async function bundle(root = packageRoot()): Promise<void> {
  const external = externalPackages(root);
  for (const { entry, out } of BUNDLES) {
    await build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external,
      define: { 'import.meta.url': 'importMetaUrl' },
      inject: ['vrrpd-import-meta-shim'],
      plugins: [
        {
          name: 'import-meta-shim',
          setup(builder) {
            builder.onResolve({ filter: /^vrrpd-import-meta-shim$/ }, (args) => ({
              path: args.path,
              namespace: 'shim',
            }));
            builder.onLoad({ filter: /.*/, namespace: 'shim' }, () => ({
              contents: IMPORT_META_SHIM,
              loader: 'js',
            }));
          },
        },
      ],
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'none',
      logLevel: 'warning',
    });
    chmodSync(join(root, out), 0o755);
  }
}

bundle().catch((error: unknown) => {
  process.stderr.write(`bundle: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
