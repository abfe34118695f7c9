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
  it('refuses numbers beyond a double (they would parse to Infinity and serialise as null); big finite ones pass', () => {
    expect(codeOf(() => parseJsonBody('{"a":1e999}'))).toBe('NUMBER_OUT_OF_RANGE');
    expect(codeOf(() => parseJsonBody('{"a":[{"b":-2E+400}]}'))).toBe('NUMBER_OUT_OF_RANGE');
    expect(codeOf(() => parseJsonBody(`{"a":${'9'.repeat(400)}}`))).toBe('NUMBER_OUT_OF_RANGE');
    expect(codeOf(() => parseJsonBody('{"a":1e308,"b":1e-999,"c":"1e999","d":true,"e":false}'))).toBe('NO_ERROR');
    expect(codeOf(() => parseJsonBody(`{"a":${'9'.repeat(300)},"b":"${'9'.repeat(400)}"}`))).toBe('NO_ERROR');
  });
  it('accepts nesting up to the limit', () => {
    const text = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(codeOf(() => parseJsonBody(text))).toBe('NO_ERROR');
  });
});
