// The processes still in a script's process group after the script itself exited: a notify script
// that starts `something &` and returns leaves that child behind, and the timeout promised for the
// script (README: "each with a 10 s timeout (process group killed)") must still reach it.
//
// Read from /proc (proc(5)): field 5 of /proc/PID/stat is the process group. While any member
// of group G lives, the kernel does not hand G out as a new PID, so a member found here really is
// the script's descendant, and signalling -G right after reaches only the script's leftovers.

import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Whether group `pgid` still has members although its leader (the script) is gone. One kill(2)
 * with signal 0; a live process numbered `pgid` would be a newcomer that reused the number, not
 * the script, so its group is not ours.
 */
export function processGroupExists(pgid: number, procRoot = '/proc'): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !existsSync(`${procRoot}/${pgid}`);
}

/** PIDs whose process group is `pgid`; empty where /proc cannot be read. */
export function processGroupMembers(pgid: number, procRoot = '/proc'): number[] {
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`${procRoot}/${entry}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: count after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is field 3 (state), fields[2] field 5 (pgrp); zombies are already dead.
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}
