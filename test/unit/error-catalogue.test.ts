import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARS, INTERNAL_ENV } from '../../src/config.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

// A stable code is an UPPER_SNAKE string literal in the source; environment variable names and
// Node/Fastify internal codes are the only other literals of that shape.
const CODE = /'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g;
// One-word codes (UNAUTHORIZED, EXPIRED…) are recognised where codes are born.
const ONE_WORD = /(?:new [A-Za-z]*Error\(|failed\(|indeterminate\(|code:\s*|code = )\s*'([A-Z]{3,})'/g;
const NOT_CODES = (name: string) => name in ENV_VARS || (Object.values(INTERNAL_ENV) as string[]).includes(name) || /^(ERR|FST)_/.test(name);

/** Every error code the source can produce. */
function codesInSource(): Set<string> {
  const codes = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(CODE)) if (!NOT_CODES(m[1]!)) codes.add(m[1]!);
    for (const m of text.matchAll(ONE_WORD)) codes.add(m[1]!);
  }
  return codes;
}

function codesInDocs(): Set<string> {
  const text = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
  return new Set([...text.matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]!));
}

describe('error catalogue (docs/errors.md)', () => {
  it('documents every code the source can produce', () => {
    const docs = codesInDocs();
    const missing = [...codesInSource()].filter((c) => !docs.has(c)).sort();
    expect(missing, `add these to docs/errors.md`).toEqual([]);
  });
  it('documents no code the source no longer has', () => {
    const src = codesInSource();
    const stale = [...codesInDocs()].filter((c) => !src.has(c)).sort();
    expect(stale, 'remove these from docs/errors.md').toEqual([]);
  });
});
