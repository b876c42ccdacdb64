// The raw-socket package for the lab's packet tools (test/interop/injector.ts,
// test/reliability/flood-sender.ts), which put hand-made IPv4 packets on the wire: the part of its
// API they use. The daemon itself sends adverts through the native addon (src/kernel/transport.ts).

import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

export interface RawSocket extends EventEmitter {
  setOption(level: number, option: number, value: number): void;
  setOption(level: number, option: number, value: Buffer, length: number): void;
  send(
    buffer: Buffer,
    offset: number,
    length: number,
    address: string,
    afterCallback: (error: Error | null, bytes: number) => void,
  ): unknown;
  pauseRecv(): unknown;
  close(): unknown;
}

export interface RawSocketModule {
  createSocket(options: { protocol: number; addressFamily?: number; bufferSize?: number }): RawSocket;
  AddressFamily: { IPv4: number };
}

export function loadRawSocket(): RawSocketModule {
  return createRequire(import.meta.url)('raw-socket') as RawSocketModule;
}
