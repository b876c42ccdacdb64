// Kernel parameters under /proc/sys, and a journal that restores what we changed.
//
// /proc/sys/net resolves in the network namespace of the process that opens the file, so the
// daemon always touches its own namespace. Keys are paths below /proc/sys ("net/ipv4/conf/
// vrrp.51/arp_ignore"): interface names may contain dots, so sysctl(8)'s dotted names would be
// ambiguous. Values are the small integers keepalived sets (0..9).
//
// The journal records a key's value before our first write and, on restore, writes it back only
// if the key still holds what we wrote: if an administrator changed it meanwhile, theirs wins
// (keepalived's rule for rp_filter, applied to every key here).

import { readdir, readFile, writeFile } from '../runtime/fs-async.js';
import { errorMessage } from '../runtime/errors.js';

export const PROC_SYS = '/proc/sys';

/** The file operations used; tests pass an in-memory tree. */
export interface SysctlFiles {
  readFile(path: string): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
}

const nodeFiles: SysctlFiles = {
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, data) => writeFile(path, data),
  readdir: (path) => readdir(path),
};

export interface Sysctls {
  /** The integer value, or null if the key does not exist or does not read as an integer. */
  read(key: string): Promise<number | null>;
  /** Writes; rejects with the errno error (ENOENT for a vanished interface, EACCES, EROFS…). */
  write(key: string, value: number): Promise<void>;
  /** Interfaces with an IPv4 configuration directory (net/ipv4/conf/*), without all/default. */
  ipv4Interfaces(): Promise<string[]>;
}

export function ipv4ConfKey(ifname: string, parameter: string): string {
  return `net/ipv4/conf/${ifname}/${parameter}`;
}

export function ipv6ConfKey(ifname: string, parameter: string): string {
  return `net/ipv6/conf/${ifname}/${parameter}`;
}

function requireKey(key: string): void {
  if (key.includes('..') || key.startsWith('/') || key.length === 0)
    throw new RangeError(`bad sysctl key ${key}`);
}

export function procSysctls(files: SysctlFiles = nodeFiles, root = PROC_SYS): Sysctls {
  return {
    async read(key) {
      requireKey(key);
      let text: string;
      try {
        text = await files.readFile(`${root}/${key}`);
      } catch {
        return null;
      }
      const match = /^\s*(-?\d+)/.exec(text);
      return match ? Number(match[1]) : null;
    },
    async write(key, value) {
      requireKey(key);
      if (!Number.isInteger(value)) throw new RangeError(`sysctl ${key}: ${value} is not an integer`);
      await files.writeFile(`${root}/${key}`, `${value}\n`);
    },
    async ipv4Interfaces() {
      const names = await files.readdir(`${root}/net/ipv4/conf`);
      return names.filter((name) => name !== 'all' && name !== 'default').sort();
    },
  };
}

interface JournalEntry {
  key: string;
  original: number;
  written: number;
}

export interface RestoreReport {
  restored: string[];
  /** Changed by someone else since we wrote it: left alone. */
  keptTheirs: string[];
  /** Key gone (interface deleted) or not writable: with the error text. */
  failed: Array<{ key: string; error: string }>;
}

export class SysctlJournal {
  private readonly entries = new Map<string, JournalEntry>();

  constructor(private readonly sysctls: Sysctls) {}

  /**
   * Sets `key` to `value`, remembering its value before our first change. A key that does not
   * exist rejects (nothing recorded). Writing a value the key already holds records nothing to
   * restore on the first call.
   */
  async set(key: string, value: number): Promise<void> {
    const known = this.entries.get(key);
    if (known) {
      await this.sysctls.write(key, value);
      known.written = value;
      return;
    }
    const original = await this.sysctls.read(key);
    if (original === null) throw new Error(`sysctl ${key} does not exist or is not a number`);
    if (original === value) return;
    await this.sysctls.write(key, value);
    this.entries.set(key, { key, original, written: value });
  }

  /** Keys changed and not yet restored, oldest first, with their original values. */
  changed(): Array<{ key: string; original: number; written: number }> {
    return [...this.entries.values()].map((e) => ({ ...e }));
  }

  /** Restores the given keys (all when omitted), newest change first. */
  async restore(keys?: readonly string[]): Promise<RestoreReport> {
    const report: RestoreReport = { restored: [], keptTheirs: [], failed: [] };
    const wanted = [...this.entries.values()].filter((e) => !keys || keys.includes(e.key)).reverse();
    for (const entry of wanted) {
      this.entries.delete(entry.key);
      try {
        const current = await this.sysctls.read(entry.key);
        if (current === null) throw new Error('no longer exists');
        if (current !== entry.written) {
          report.keptTheirs.push(entry.key);
          continue;
        }
        await this.sysctls.write(entry.key, entry.original);
        report.restored.push(entry.key);
      } catch (error) {
        report.failed.push({ key: entry.key, error: errorMessage(error) });
      }
    }
    return report;
  }
}
