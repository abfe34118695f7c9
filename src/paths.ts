import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root: the directory holding package.json and schemas/. Found by walking up from
 * this module, which is src/paths.ts under tsx and dist/src/paths.js in the compiled build.
 */
export const PROJECT_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    dir = dirname(dir);
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas', 'contexts', 'index.json'))) return dir;
  }
  throw new Error('microcred: project root (package.json beside schemas/) not found above src/');
})();

/** A path under schemas/. */
export const schemasPath = (...parts: string[]): string => join(PROJECT_ROOT, 'schemas', ...parts);
