// The daemon's own footprint, for the reliability checks (100 reloads, the soak run) and for
// operators who alert on a leak: resident memory, V8 heap and open file descriptors, read at scrape
// time. The names are the ones prom-client's default collectors use, so existing Node dashboards
// work; prom-client's collectDefaultMetrics itself is not used because its event-loop monitor
// wakes the process every few milliseconds, which a daemon that should sleep between adverts
// does not need.

import { readdirSync } from 'node:fs';
import { Gauge, type Registry } from 'prom-client';

/** Open descriptors of this process (Linux /proc); null where /proc is not mounted. */
export function openFileDescriptors(): number | null {
  try {
    // The listing itself holds one descriptor on the directory while it runs: not counted.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return null;
  }
}

export function registerProcessMetrics(registry: Registry): void {
  const gauge = (name: string, help: string, value: () => number | null): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const current = value();
        if (current !== null) this.set(current);
      },
    });
  };
  gauge('process_resident_memory_bytes', 'Resident memory size in bytes', () => process.memoryUsage.rss());
  gauge('process_open_fds', 'Number of open file descriptors', openFileDescriptors);
  gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes', () => process.memoryUsage().heapUsed);
  gauge('nodejs_heap_size_total_bytes', 'V8 heap allocated, in bytes', () => process.memoryUsage().heapTotal);
}
