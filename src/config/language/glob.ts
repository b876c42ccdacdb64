// Include patterns: csh-style brace expansion followed by glob(3) wildcards (`*`, `?`, `[...]`),
// which is what keepalived's `include` does with GLOB_BRACE. Pure apart from the directory
// listings it asks the ConfigFileSource for.

import { posix as path } from 'node:path';
import type { ConfigFileSource } from './file-source.js';

/**
 * `a{b,c{d,e}}f` → [abf, acdf, acef]. A brace group without a top-level comma, or unbalanced, is
 * literal text, as in csh.
 */
export function expandBraces(pattern: string): string[] {
  return expandBracesWithin(pattern, Infinity) as string[];
}

/**
 * No include pattern needs more alternatives than this; `{a,b}` repeated 30 times would ask for
 * 2^30 of them and exhaust memory before a single file is read.
 */
export const MAX_BRACE_ALTERNATIVES = 1024;

/** expandBraces, or null as soon as the pattern would expand to more than `max` alternatives. */
export function expandBracesWithin(pattern: string, max: number): string[] | null {
  const open = findBraceGroup(pattern);
  if (!open) return [pattern];
  const { start, end, alternatives } = open;
  const prefix = pattern.slice(0, start);
  const suffixes = expandBracesWithin(pattern.slice(end + 1), max);
  if (suffixes === null) return null;
  const results: string[] = [];
  for (const alternative of alternatives) {
    const middles = expandBracesWithin(alternative, max);
    if (middles === null) return null;
    for (const middle of middles) {
      for (const suffix of suffixes) {
        if (results.length >= max) return null;
        results.push(prefix + middle + suffix);
      }
    }
  }
  return results;
}

function findBraceGroup(pattern: string): { start: number; end: number; alternatives: string[] } | null {
  for (let start = pattern.indexOf('{'); start !== -1; start = pattern.indexOf('{', start + 1)) {
    if (start > 0 && pattern[start - 1] === '\\') continue;
    let depth = 0;
    let pieceStart = start + 1;
    const alternatives: string[] = [];
    for (let i = start; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === '\\') {
        i++;
      } else if (ch === '{') {
        depth++;
      } else if (ch === '}') {
        depth--;
        if (depth === 0) {
          alternatives.push(pattern.slice(pieceStart, i));
          if (alternatives.length > 1) return { start, end: i, alternatives };
          break;
        }
      } else if (ch === ',' && depth === 1) {
        alternatives.push(pattern.slice(pieceStart, i));
        pieceStart = i + 1;
      }
    }
  }
  return null;
}

export function hasWildcard(text: string): boolean {
  return /[*?[]/.test(text);
}

/** One path segment's wildcard pattern as an anchored RegExp. A leading dot must be matched literally. */
export function segmentMatcher(segment: string): (name: string) => boolean {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    if (ch === '\\' && i + 1 < segment.length) {
      source += escapeRegExp(segment[++i] as string);
    } else if (ch === '*') {
      source += '[^/]*';
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = close;
    } else {
      source += escapeRegExp(ch);
    }
  }
  const regexp = new RegExp(`^${source}$`);
  const leadingDotLiteral = segment.startsWith('.');
  return (name) => (name.startsWith('.') && !leadingDotLiteral ? false : regexp.test(name));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Files matching one absolute wildcard pattern (already brace-expanded), sorted like glob(3).
 * A pattern without wildcards is returned as is: the caller reads it and reports if it is missing.
 */
export function expandWildcards(pattern: string, source: ConfigFileSource): string[] {
  if (!hasWildcard(pattern)) return [pattern];
  const segments = pattern.split('/').filter((s) => s !== '');
  let candidates = [pattern.startsWith('/') ? '/' : '.'];
  let wildcardSeen = false;
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (!hasWildcard(segment) && !wildcardSeen) {
      // The literal prefix needs no listing (and may pass through directories we cannot list).
      candidates = candidates.map((dir) => path.join(dir, segment));
      return;
    }
    wildcardSeen = true;
    const matches = hasWildcard(segment) ? segmentMatcher(segment) : (name: string) => name === segment;
    const next: string[] = [];
    for (const dir of candidates) {
      const entries = source.listDirectory(dir) ?? [];
      for (const entry of entries) {
        if (!matches(entry.name)) continue;
        // Intermediate segments must be directories to descend into; the last must be a file to read.
        if (entry.isDirectory !== last) next.push(path.join(dir, entry.name));
      }
    }
    candidates = next.sort();
  });
  return candidates;
}
