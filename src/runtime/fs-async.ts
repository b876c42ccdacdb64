// Promise forms of the node:fs calls the daemon makes on its way to the first advert and in its
// control server, made from node:fs's callback functions with util.promisify instead of taken from
// node:fs/promises. Why (issue 15): node:fs/promises loads its FileHandle, stream, readline and
// file-watcher modules with it, ~1 MiB of node's binary and heap in every daemon, and ~4 ms of
// start-up before the first advert, for a handful of calls that need none of them. Files are
// opened as descriptors (open/close/fsync/fstat/read), not FileHandles.

import * as fs from 'node:fs';
import { promisify } from 'node:util';

export const access = promisify(fs.access);
export const appendFile = promisify(fs.appendFile);
export const chmod = promisify(fs.chmod);
export const chown = promisify(fs.chown);
export const close = promisify(fs.close);
export const fstat = promisify(fs.fstat);
export const fsync = promisify(fs.fsync);
export const lstat = promisify(fs.lstat);
export const mkdir = promisify(fs.mkdir);
export const open = promisify(fs.open);
export const read = promisify(fs.read);
export const readdir = promisify(fs.readdir);
export const readFile = promisify(fs.readFile);
export const rename = promisify(fs.rename);
export const stat = promisify(fs.stat);
export const unlink = promisify(fs.unlink);
export const writeFile = promisify(fs.writeFile);
