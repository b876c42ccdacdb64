// Every keyword table, for the parser's misplaced-keyword hints and for the generated documentation.

import { UPLINK_GROUP_TABLE } from '../netgwm/uplink-group.js';
import { AUTHENTICATION_TABLE } from './authentication.js';
import { BFD_INSTANCE_TABLE } from './bfd-instance.js';
import { GLOBAL_DEFS_TABLE } from './global-defs.js';
import { SYNC_GROUP_TABLE } from './sync-group.js';
import { TOP_LEVEL_TABLE } from './top-level.js';
import type { TableDescription } from './types.js';
import { VRRP_INSTANCE_TABLE } from './vrrp-instance.js';
import { TRACK_FILE_TABLE, VRRP_SCRIPT_TABLE } from './vrrp-script.js';
import { VRRP_TRACK_PROCESS_TABLE } from './track-process.js';

export { TOP_LEVEL_TABLE } from './top-level.js';

/** In documentation order. */
export const ALL_TABLES: readonly TableDescription[] = [
  TOP_LEVEL_TABLE,
  GLOBAL_DEFS_TABLE,
  VRRP_INSTANCE_TABLE,
  AUTHENTICATION_TABLE,
  VRRP_SCRIPT_TABLE,
  TRACK_FILE_TABLE,
  VRRP_TRACK_PROCESS_TABLE,
  BFD_INSTANCE_TABLE,
  SYNC_GROUP_TABLE,
  UPLINK_GROUP_TABLE,
];

/** keyword → block kinds that accept it. */
export function buildKeywordHomes(tables: readonly TableDescription[] = ALL_TABLES): Map<string, string[]> {
  const homes = new Map<string, string[]>();
  for (const table of tables) {
    for (const spec of table.keywords) {
      const list = homes.get(spec.name) ?? [];
      if (!list.includes(table.block)) list.push(table.block);
      homes.set(spec.name, list);
    }
  }
  return homes;
}
