import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BitstringStatusList, decodeList as libDecode } from '@digitalbazaar/vc-bitstring-status-list';
import { decodeList, emptyBits, encodeList, getBit, setBit, MIN_LIST_BITS, StatusError } from '../../src/status/index.js';

describe('encodedList codec', () => {
  it('round-trips and matches @digitalbazaar/vc-bitstring-status-list in both directions (bit order, gzip, multibase u)', async () => {
    const bits = emptyBits(MIN_LIST_BITS);
    for (const i of [0, 1, 7, 8, 4242, MIN_LIST_BITS - 1]) setBit(bits, i);
    const encoded = encodeList(bits);
    expect(encoded.startsWith('u')).toBe(true);
    const lib = await libDecode({ encodedList: encoded });
    for (const i of [0, 1, 7, 8, 4242, MIN_LIST_BITS - 1]) expect(lib.getStatus(i)).toBe(true);
    expect(lib.getStatus(2)).toBe(false);
    const theirs = new BitstringStatusList({ length: MIN_LIST_BITS });
    theirs.setStatus(3, true);
    theirs.setStatus(MIN_LIST_BITS - 2, true);
    const ours = decodeList(await theirs.encode());
    expect([getBit(ours, 3), getBit(ours, MIN_LIST_BITS - 2), getBit(ours, 4)]).toEqual([true, true, false]);
    setBit(bits, 4242, false);
    expect(getBit(bits, 4242)).toBe(false);
  });

  it('caps the decompressed size (gzip bomb) and refuses malformed values', () => {
    const bomb = `u${gzipSync(Buffer.alloc(8 * 1024 * 1024)).toString('base64url')}`;
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => decodeList(bomb)).toThrow(/expands beyond/);
    for (const bad of ['zabc', 'u!!', `u${Buffer.from('not gzip').toString('base64url')}`, 42, undefined]) {
      expect(() => decodeList(bad), String(bad)).toThrow(StatusError);
    }
    expect(() => getBit(emptyBits(16), 16)).toThrow(RangeError);
  });

  it('list size on the wire: empty and 10%-revoked 131,072-entry lists', () => {
    const empty = encodeList(emptyBits(MIN_LIST_BITS));
    const tenth = emptyBits(MIN_LIST_BITS);
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    let set = 0;
    while (set < MIN_LIST_BITS / 10) {
      const i = Math.floor(rand() * MIN_LIST_BITS);
      if (!getBit(tenth, i)) {
        setBit(tenth, i);
        set++;
      }
    }
    const full = encodeList(tenth);
    const bytes = (e: string) => Buffer.from(e.slice(1), 'base64url').length;
    console.log(`encodedList: empty ${bytes(empty)} B gzip / ${empty.length} chars; 10% revoked ${bytes(full)} B gzip / ${full.length} chars`);
    expect(bytes(empty)).toBeLessThan(200);
    expect(bytes(full)).toBeLessThan(16_384);
  });
});
