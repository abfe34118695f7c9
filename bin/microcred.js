#!/usr/bin/env node
// The CLI. In a checkout it runs the TypeScript sources through tsx's ESM loader (no build
// step, never a stale build); the image ships only the compiled build, dist/src/cli.js.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli.ts', import.meta.url);
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else {
  await import(new URL('../dist/src/cli.js', import.meta.url).href);
}
