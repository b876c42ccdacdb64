// node:crypto, loaded on first use rather than at start-up. Only AH authentication (an HMAC per
// advert) and the uplink probers' random identifiers need it, and loading it costs the daemon
// ~12–17 ms of start-up CPU (issue 15: start to first advert), which every other configuration
// would pay for nothing. No I/O: the module is part of node itself.

import { createRequire } from 'node:module';

type NodeCrypto = typeof import('node:crypto');

let loaded: NodeCrypto | undefined;

export function nodeCrypto(): NodeCrypto {
  loaded ??= createRequire(import.meta.url)('node:crypto') as NodeCrypto;
  return loaded;
}
