// What keepalived 2.2.7 logs when it rejects (or frowns at) a received advert. The interop tests
// grep its log for these lines to prove it found nothing wrong with our adverts; the replay test
// feeds it broken packets once to prove the grep really sees its complaints.
//
// The message texts are keepalived's own (read from the 2.2.7 binary's format strings and seen in
// its log when fed the broken packets of bad-adverts.ts); each line is prefixed "(VI_1) ".

export type ComplaintKind =
  | 'checksum'
  | 'ttl'
  | 'version'
  | 'length'
  | 'type'
  | 'auth_type'
  | 'auth_password'
  | 'advert_interval'
  | 'address_count'
  | 'address_mismatch'
  | 'cast_mismatch'
  | 'unicast_source'
  | 'owner_conflict'
  | 'own_address'
  | 'ah_icv'
  | 'ah_spi'
  | 'ah_sequence';

const PATTERNS: ReadonlyArray<{ kind: ComplaintKind; pattern: RegExp }> = [
  { kind: 'checksum', pattern: /Invalid VRRPv[23] checksum/ },
  { kind: 'ttl', pattern: /invalid TTL\/HL\. Received \d+|TTL\/HL \d+ not in range/ },
  { kind: 'version', pattern: /wrong version\. Received \d+/ },
  { kind: 'length', pattern: /vrrp packet too \w+, length|ip_tot_len mismatch against received length/ },
  { kind: 'type', pattern: /Invalid packet type\. \d+/ },
  {
    kind: 'auth_type',
    pattern: /received a \d+ auth, expecting \d+|Received AH header but|No AH header but/,
  },
  { kind: 'auth_password', pattern: /received an invalid passwd/ },
  { kind: 'advert_interval', pattern: /advertisement interval mismatch mine=/ },
  { kind: 'address_count', pattern: /received an unexpected ip number count|expected \d+ VIPs but received/ },
  { kind: 'address_mismatch', pattern: /ip address associated with VRID \d+ not present in MASTER advert/ },
  { kind: 'cast_mismatch', pattern: /Expected \w*icast packet but received \w*icast packet/ },
  { kind: 'unicast_source', pattern: /unicast source address \S+ not a unicast peer/ },
  { kind: 'owner_conflict', pattern: /both configured as address owner/ },
  { kind: 'own_address', pattern: /equal priority advert received from remote host with our IP address/ },
  { kind: 'ah_icv', pattern: /IPSEC-AH : invalid IPSEC HMAC-MD5 value/ },
  { kind: 'ah_spi', pattern: /IPSEC AH : invalid IPSEC SPI value/ },
  { kind: 'ah_sequence', pattern: /IPSEC-AH : sequence number \d+ already processed/ },
];

export interface Complaint {
  kind: ComplaintKind;
  line: string;
}

/** keepalived log lines that complain about a received packet, in log order. */
export function keepalivedComplaints(logLines: readonly string[]): Complaint[] {
  const found: Complaint[] = [];
  for (const line of logLines) {
    const match = PATTERNS.find(({ pattern }) => pattern.test(line));
    if (match) found.push({ kind: match.kind, line });
  }
  return found;
}
