// The daemon's own footprint, for the reliability checks (100 reloads, the soak run) and for
// operators who alert on a leak: resident memory, V8 heap and open file descriptors, read at scrape
// time. The names are the ones prom-client's default collectors use, so existing Node dashboards
// work; nothing is sampled between scrapes (an event-loop monitor would wake the process every few
// milliseconds, which a daemon that should sleep between adverts does not need).

import { readdirSync } from 'node:fs';
import { FamilyBuilder, type MetricFamily } from './exposition.js';

/** Open descriptors of this process (Linux /proc); null where /proc is not mounted. */
export function openFileDescriptors(): number | null {
  try {
    // The listing itself holds one descriptor on the directory while it runs: not counted.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return null;
  }
}

/** The process families, read now; a value that cannot be read leaves its family empty. */
export function processFamilies(): MetricFamily[] {
  const gauge = (name: string, help: string, value: number | null): MetricFamily => {
    const family = new FamilyBuilder(name, help, 'gauge');
    if (value !== null) family.set({}, value);
    return family.build();
  };
  const memory = process.memoryUsage();
  return [
    gauge('process_resident_memory_bytes', 'Resident memory size in bytes', memory.rss),
    gauge('process_open_fds', 'Number of open file descriptors', openFileDescriptors()),
    gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes', memory.heapUsed),
    gauge('nodejs_heap_size_total_bytes', 'V8 heap allocated, in bytes', memory.heapTotal),
  ];
}
