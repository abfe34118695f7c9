import { describe, expect, it } from 'vitest';
import { parseJsonBody, MAX_JSON_DEPTH } from '../../src/plugins/json-body.js';
import { AppError } from '../../src/errors.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return 'NO_ERROR';
};

describe('JSON body parser', () => {
  it('parses ordinary JSON, including brackets inside strings', () => {
    expect(parseJsonBody('{"a":"[[[{{{\\"","b":[1,2]}')).toEqual({ a: '[[[{{{"', b: [1, 2] });
  });
  it.each([
    ['', 'MALFORMED_JSON'],
    ['{"a":', 'MALFORMED_JSON'],
    ['{"__proto__":{"admin":true}}', 'FORBIDDEN_PROPERTY'],
    ['{"a":{"constructor":{"prototype":{"x":1}}}}', 'FORBIDDEN_PROPERTY'],
    ['['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1), 'JSON_TOO_DEEP'],
    ['['.repeat(100_000), 'JSON_TOO_DEEP'],
  ])('refuses %j with %s', (text, code) => {
    expect(codeOf(() => parseJsonBody(text))).toBe(code);
  });
  it('counts only brackets outside strings, whatever the escapes before a quote', () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const inside = '['.repeat(MAX_JSON_DEPTH * 2);
    // Brackets inside strings (after escaped quotes and escaped backslashes) are not nesting.
    expect(codeOf(() => parseJsonBody(`{"a":"\\"${inside}","b":"\\\\","c":"x\\\\\\"${inside}"}`))).toBe('NO_ERROR');
    // A string ending in an escaped backslash closes: the brackets after it count.
    expect(codeOf(() => parseJsonBody(`{"a":"\\\\","b":${deep(MAX_JSON_DEPTH + 1)}}`))).toBe('JSON_TOO_DEEP');
    expect(codeOf(() => parseJsonBody(`{"a":"[","b":${deep(MAX_JSON_DEPTH - 1)}}`))).toBe('NO_ERROR');
    expect(codeOf(() => parseJsonBody('{"a":"unterminated [[[['))).toBe('MALFORMED_JSON');
  });
  it('refuses an unpaired surrogate escape anywhere, in values and keys; pairs and escaped backslashes pass', () => {
    expect(codeOf(() => parseJsonBody('{"a":"x\\ud800"}'))).toBe('INVALID_TEXT');
    expect(codeOf(() => parseJsonBody('{"a":[{"b":"\\udfff y"}]}'))).toBe('INVALID_TEXT');
    expect(codeOf(() => parseJsonBody('{"\\ud800":1}'))).toBe('INVALID_TEXT');
    expect(codeOf(() => parseJsonBody('{"a":"\\ude00\\ud83d"}'))).toBe('INVALID_TEXT');
    expect(codeOf(() => parseJsonBody('{"a":"\\ud83d\\ude00"}'))).toBe('NO_ERROR');
    expect(codeOf(() => parseJsonBody('{"a":"\\\\ud800"}'))).toBe('NO_ERROR');
  });
  it('refuses numbers a double cannot hold exactly; numbers it holds pass, however written', () => {
    for (const n of ['1e999', '-2E+400', '9'.repeat(400), '1e-999', '12345678901234567890', '0.12345678901234567890123']) {
      expect([n, codeOf(() => parseJsonBody(`{"a":[{"b":${n}}]}`))]).toEqual([n, 'NUMBER_NOT_REPRESENTABLE']);
    }
    // A long run of zeros inside a number is compared in linear time (no backtracking regex).
    expect(codeOf(() => parseJsonBody(`{"a":1${'0'.repeat(200_000)}1}`))).toBe('NUMBER_NOT_REPRESENTABLE');
    for (const n of ['1e308', '1.5e300', '-0.0000000000000', '0.30000000000000004', '9007199254740991', '1E5', '123456789012345.5', '1234567890123456']) {
      expect([n, codeOf(() => parseJsonBody(`{"a":${n},"b":"1e999 ${'9'.repeat(30)}","c":true,"d":false}`))]).toEqual([n, 'NO_ERROR']);
    }
  });
  it('accepts nesting up to the limit', () => {
    const text = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(codeOf(() => parseJsonBody(text))).toBe('NO_ERROR');
  });
});
