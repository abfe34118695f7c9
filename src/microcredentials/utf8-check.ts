/** Refuses a byte stream that is not UTF-8, naming the first line that is not, before anything is parsed. */
import { Transform } from 'node:stream';
import { BadRequestError, type AppError } from '../errors.js';

const LF = 0x0a;

/** A CSV body whose bytes are not UTF-8 (400): issuing would sign replacement characters into names. */
export const csvEncodingInvalid = (line: number): AppError =>
  new BadRequestError('CSV_ENCODING_INVALID', `The CSV is not valid UTF-8 (first bad byte on line ${line}); export it as "CSV UTF-8".`, { line });

/** Bytes at the end of `buf` that start a multi-byte sequence not yet complete (what a streaming decoder holds back). */
function pendingTail(buf: Uint8Array): Uint8Array {
  for (let i = buf.length - 1; i >= Math.max(0, buf.length - 3); i--) {
    const b = buf[i]!;
    if (b < 0x80) return buf.subarray(buf.length);
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return buf.length - i < need ? buf.subarray(i) : buf.subarray(buf.length);
    }
  }
  return buf.subarray(buf.length);
}

const decodes = (bytes: Uint8Array, stream: boolean): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream });
    return true;
  } catch {
    return false;
  }
};

/**
 * Passes bytes through unchanged while a fatal UTF-8 decoder checks them chunk by chunk; a
 * sequence split across chunks is fine. LF is never part of a multi-byte sequence, so lines
 * can be counted on the raw bytes, and the failing chunk is re-checked line by line to name it.
 */
export function utf8Check(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let tail: Uint8Array = new Uint8Array(0);
  const countLines = (buf: Uint8Array) => { for (const b of buf) if (b === LF) line++; };
  const firstBadLine = (chunk: Uint8Array): number => {
    let start = 0;
    let n = line;
    let prefix = tail;
    for (;;) {
      const end = chunk.indexOf(LF, start);
      const last = end === -1;
      const part = chunk.subarray(start, last ? chunk.length : end);
      const bytes = prefix.length > 0 ? Buffer.concat([prefix, part]) : part;
      if (!decodes(bytes, last)) return n;
      if (last) return n;
      prefix = new Uint8Array(0);
      start = end + 1;
      n++;
    }
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        cb(csvEncodingInvalid(firstBadLine(chunk)));
        return;
      }
      countLines(chunk);
      // A sequence pending at the end is at most 3 bytes long, so a longer chunk holds all of it.
      tail = Uint8Array.from(pendingTail(chunk.length > 3 ? chunk : Buffer.concat([tail, chunk])));
      cb(null, chunk);
    },
    flush(cb) {
      try {
        decoder.decode();
        cb();
      } catch {
        cb(csvEncodingInvalid(line)); // the body ends inside a multi-byte sequence
      }
    },
  });
}
