// /usr/share/doc/vrrpd/copyright in the machine-readable format (DEP-5): vrrpd itself, and one
// paragraph per bundled npm package with its own licence text, read from the package's LICENSE file
// (or its README's licence section when it ships no such file). Apache-2.0 texts are referred to in
// /usr/share/common-licenses, as Debian policy allows.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's short names for the SPDX identifiers the bundled packages use. */
const DEBIAN_LICENSE_NAME: Record<string, string> = { MIT: 'Expat', ISC: 'ISC', 'Apache-2.0': 'Apache-2.0' };
const COMMON_LICENSES = new Set(['Apache-2.0']);

const EXPAT_TEXT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

interface Manifest {
  name: string;
  version: string;
  license?: string;
  author?: string | { name?: string };
}

/** A DEP-5 field value: continuation lines start with a space, empty lines become " .". */
function fieldText(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => (line.trim() === '' ? ' .' : ` ${line.trimEnd()}`))
    .join('\n');
}

function licenseText(dir: string): string | undefined {
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.md|\.txt)?$/i.test(name));
  if (file) return readFileSync(join(dir, file), 'utf8');
  const readme = readdirSync(dir).find((name) => /^readme(\.md)?$/i.test(name));
  if (!readme) return undefined;
  const section = /^#+\s*Licen[cs]e\s*$([\s\S]*?)(?=^#|(?![\s\S]))/im.exec(
    readFileSync(join(dir, readme), 'utf8'),
  );
  return section?.[1]?.trim() || undefined;
}

/** Copyright lines of a licence text, or the package's author when it names none. */
function holders(text: string | undefined, manifest: Manifest): string {
  const lines = (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(\(c\)|copyright\b)/i.test(line) && !/copyright notice|copyright holders/i.test(line))
    .map((line) => line.replace(/^copyright\s*(\(c\)|©)?\s*/i, ''));
  if (lines.length > 0) return lines.join('\n');
  const author = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
  return author ?? `the ${manifest.name} authors`;
}

/** Top-level package directories of node_modules ("yaml", "@opentelemetry/api", …), sorted. */
export function bundledPackages(modules: string): string[] {
  return readdirSync(modules, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .flatMap((entry) =>
      entry.name.startsWith('@')
        ? readdirSync(join(modules, entry.name)).map((name) => `${entry.name}/${name}`)
        : [entry.name],
    )
    .sort();
}

/**
 * The copyright file. `packages` are the bundled packages' names; their licences are read from
 * `sourceModules` (the repository's node_modules: same versions, not yet pruned of LICENSE files).
 */
export function debianCopyright(options: {
  homepage: string;
  holder: string;
  license: string;
  packages: string[];
  sourceModules: string;
}): string {
  const used = new Set<string>();
  const paragraphs: string[] = [
    [
      'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
      'Upstream-Name: vrrpd',
      `Source: ${options.homepage}`,
    ].join('\n'),
    [
      'Files: *',
      `Copyright: ${options.holder}`,
      `License: ${DEBIAN_LICENSE_NAME[options.license] ?? options.license}`,
    ].join('\n'),
  ];
  used.add(DEBIAN_LICENSE_NAME[options.license] ?? options.license);
  for (const name of options.packages) {
    const dir = join(options.sourceModules, name);
    if (!existsSync(join(dir, 'package.json'))) throw new Error(`${dir}: not an installed package`);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const spdx = manifest.license ?? 'UNKNOWN';
    const license = DEBIAN_LICENSE_NAME[spdx];
    if (!license) throw new Error(`${name}: licence ${spdx} has no Debian short name here; add it`);
    const text = licenseText(dir);
    const lines = [
      `Files: usr/lib/vrrpd/node_modules/${name}/*`,
      `Copyright:${fieldText(holders(text, manifest))}`,
    ];
    if (COMMON_LICENSES.has(license) || !text) {
      lines.push(`License: ${license}`);
      used.add(license);
    } else {
      // The package's own text, since holders and wording vary from one copy to the next.
      lines.push(`License: ${license}\n${fieldText(text)}`);
    }
    lines.push(`Comment: npm package ${manifest.name} ${manifest.version}`);
    paragraphs.push(lines.join('\n'));
  }
  for (const license of [...used].sort()) {
    if (COMMON_LICENSES.has(license)) {
      paragraphs.push(
        `License: ${license}\n On Debian systems, the complete text of the ${license} licence is in\n /usr/share/common-licenses/${license}.`,
      );
    } else if (license === 'Expat') {
      paragraphs.push(`License: Expat\n${fieldText(EXPAT_TEXT)}`);
    } else {
      throw new Error(`no stand-alone text for licence ${license}`);
    }
  }
  return `${paragraphs.join('\n\n')}\n`;
}
