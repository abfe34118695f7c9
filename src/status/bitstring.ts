import { gunzipSync, gzipSync } from 'node:zlib';
import { StatusError } from './errors.js';

/** The spec's privacy minimum: a published list has at least 16 KiB = 131,072 bits. */
export const MIN_LIST_BITS = 131_072;

/** Upper bound on a decoded bitstring (16 Mi bits); larger answers are treated as hostile. */
export const MAX_DECODED_BYTES = 2 * 1024 * 1024;

/** A zeroed bitstring of at least `bits` bits, rounded up to whole bytes. */
export function emptyBits(bits: number): Uint8Array {
  return new Uint8Array(Math.ceil(bits / 8));
}

/** Set bit `index` (left-to-right: index 0 is the most significant bit of byte 0, as the spec says). */
export function setBit(bits: Uint8Array, index: number, on = true): void {
  const byte = index >> 3;
  if (index < 0 || byte >= bits.length) throw new RangeError(`bit ${index} outside a ${bits.length * 8}-bit list`);
  const mask = 0x80 >> (index & 7);
  bits[byte] = on ? bits[byte]! | mask : bits[byte]! & ~mask;
}

/** Read bit `index` (same ordering as setBit). */
export function getBit(bits: Uint8Array, index: number): boolean {
  const byte = index >> 3;
  if (index < 0 || byte >= bits.length) throw new RangeError(`bit ${index} outside a ${bits.length * 8}-bit list`);
  return (bits[byte]! & (0x80 >> (index & 7))) !== 0;
}

/** encodedList value: GZIP, base64url without padding, multibase prefix `u`. */
export function encodeList(bits: Uint8Array): string {
  return `u${gzipSync(bits, { level: 9 }).toString('base64url')}`;
}

/**
 * Decode an encodedList with both the compressed and the DEcompressed size capped, so a
 * small gzip bomb cannot exhaust memory (zlib stops at maxOutputLength).
 */
export function decodeList(encoded: unknown, maxDecodedBytes = MAX_DECODED_BYTES): Uint8Array {
  if (typeof encoded !== 'string' || !encoded.startsWith('u') || !/^u[A-Za-z0-9_-]+$/.test(encoded)) {
    throw new StatusError('STATUS_LIST_INVALID', 'encodedList must be a multibase base64url string starting with "u".');
  }
  const compressed = Buffer.from(encoded.slice(1), 'base64url');
  let out: Buffer;
  try {
    out = gunzipSync(compressed, { maxOutputLength: maxDecodedBytes });
  } catch (err) {
    const tooBig = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|buffer/i.test((err as Error).message);
    throw new StatusError('STATUS_LIST_INVALID', tooBig ? `encodedList expands beyond ${maxDecodedBytes} bytes.` : 'encodedList is not valid GZIP data.', undefined, { cause: err });
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
