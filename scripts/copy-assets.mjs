// Completes the compiled build: tsc emits dist/src/**/*.js; the service also reads files that
// live beside its modules (SQL migrations, the canonicalization worker, the web page's assets).
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'src');
if (!existsSync(out)) throw new Error('dist/src is missing: run tsc -p tsconfig.build.json first');
cpSync(join(root, 'src'), out, { recursive: true, filter: (path) => !path.endsWith('.ts') });
