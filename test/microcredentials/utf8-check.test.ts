import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { utf8Check } from '../../src/microcredentials/utf8-check.js';

/** Runs bytes through the check in the given chunks; the bytes that came out, or the error. */
async function run(chunks: Buffer[]): Promise<{ out: Buffer } | { code: string; line: number }> {
  const got: Buffer[] = [];
  try {
    await pipeline(Readable.from(chunks), utf8Check(), new Writable({ write(c: Buffer, _e, cb) { got.push(c); cb(); } }));
    return { out: Buffer.concat(got) };
  } catch (e) {
    const err = e as { code: string; detail: { line: number } };
    return { code: err.code, line: err.detail.line };
  }
}

/** Splits a buffer into chunks of `size` bytes. */
const split = (b: Buffer, size: number): Buffer[] => Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size));

describe('utf8Check', () => {
  const text = Buffer.from('given_name,family_name\nZoë,Łukasiewicz\nRenée,😀\n', 'utf8');

  it('passes UTF-8 through unchanged however it is cut (sequences split across chunks)', async () => {
    for (const size of [1, 2, 3, 5, 7, 64]) expect(await run(split(text, size))).toEqual({ out: text });
  });

  it('names the first line that is not UTF-8, whichever chunk it falls in', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => Buffer.from(`Given${i + 1},Family${i + 1}\n`));
    lines[199] = Buffer.from('Jos\xe9,Mu\xf1oz\n', 'latin1');
    const body = Buffer.concat([Buffer.from('given_name,family_name\n'), ...lines]);
    for (const size of [1, 3, 100, 4096, body.length]) expect(await run(split(body, size))).toEqual({ code: 'CSV_ENCODING_INVALID', line: 201 });
  });

  it('a sequence cut by a line break, a stray continuation byte, and a body ending mid-sequence are refused', async () => {
    expect(await run(split(Buffer.from([0x61, 0x0a, 0xc3, 0x0a, 0x62]), 2))).toEqual({ code: 'CSV_ENCODING_INVALID', line: 2 });
    expect(await run([Buffer.from('a\nb\n\x80\n', 'latin1')])).toEqual({ code: 'CSV_ENCODING_INVALID', line: 3 });
    expect(await run([Buffer.from('a\nb'), Buffer.from([0xe2, 0x82])])).toEqual({ code: 'CSV_ENCODING_INVALID', line: 2 });
  });
});
