// Text that keeps raw bytes. keepalived reads its configuration as bytes and sends what it read:
// an auth_pass written in Latin-1, or given as `\xe9`, goes on the wire as that byte. vrrpd reads
// the file as UTF-8 text; a byte that is not part of valid UTF-8 becomes the lone surrogate
// U+DC80 + byte (the "surrogateescape" convention), which no valid UTF-8 text can contain, so
// encoding the text back gives exactly the bytes that were read.

const RAW_BYTE_BASE = 0xdc00;

/** The character that stands for one raw byte (0x80-0xff) that is not valid UTF-8 where it is. */
export function rawByteChar(byte: number): string {
  return String.fromCharCode(RAW_BYTE_BASE + byte);
}

function isRawByteChar(code: number): boolean {
  return code >= 0xdc80 && code <= 0xdcff;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 if the byte there does not start one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] as number;
  if (lead < 0x80) return 1;
  const continuation = (k: number, min = 0x80, max = 0xbf): boolean => {
    const b = bytes[i + k];
    return b !== undefined && b >= min && b <= max;
  };
  // RFC 3629 §4: the well-formed sequences, excluding overlongs and surrogates.
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(1) ? 2 : 0;
  if (lead === 0xe0) return continuation(1, 0xa0) && continuation(2) ? 3 : 0;
  if ((lead >= 0xe1 && lead <= 0xec) || lead === 0xee || lead === 0xef)
    return continuation(1) && continuation(2) ? 3 : 0;
  if (lead === 0xed) return continuation(1, 0x80, 0x9f) && continuation(2) ? 3 : 0;
  if (lead === 0xf0) return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0;
  if (lead >= 0xf1 && lead <= 0xf3) return continuation(1) && continuation(2) && continuation(3) ? 4 : 0;
  if (lead === 0xf4) return continuation(1, 0x80, 0x8f) && continuation(2) && continuation(3) ? 4 : 0;
  return 0;
}

/** UTF-8 bytes → text, each byte outside a valid sequence kept as its raw-byte character. */
export function decodeBytes(bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let runStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    text += decoder.decode(bytes.subarray(runStart, i)) + rawByteChar(bytes[i] as number);
    i++;
    runStart = i;
  }
  return text + decoder.decode(bytes.subarray(runStart));
}

/** Text → bytes: UTF-8, with raw-byte characters back as the single bytes they stand for. */
export function encodeBytes(text: string): Buffer {
  if (!hasRawBytes(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let run = '';
  // for…of walks code points, so the low half of a surrogate pair is never taken for a raw byte.
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && isRawByteChar(code)) {
      parts.push(Buffer.from(run, 'utf8'), Buffer.from([code - RAW_BYTE_BASE]));
      run = '';
    } else {
      run += ch;
    }
  }
  parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

/** Whether the text holds raw-byte characters (lone, not halves of surrogate pairs). */
export function hasRawBytes(text: string): boolean {
  for (const ch of text) if (ch.length === 1 && isRawByteChar(ch.charCodeAt(0))) return true;
  return false;
}

/** Raw-byte characters that together form valid UTF-8 become the characters they encode. */
export function recomposeBytes(text: string): string {
  return hasRawBytes(text) ? decodeBytes(encodeBytes(text)) : text;
}
