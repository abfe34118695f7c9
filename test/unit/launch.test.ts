import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startNodeFlags } from '../../bench/lib/service.js';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');

// The service is started from four places; they must run it the same way, or the bench and the
// scale test would measure a service that is not the one deployed.
describe('launch command', () => {
  const flags = startNodeFlags(new URL('.', ROOT).pathname);

  it('npm start runs node with a larger young generation', () => {
    expect(flags).toContain('--max-semi-space-size=64');
  });

  it('the image and the scale test use the flags of npm start', () => {
    const command = ['node', ...flags, '--import', 'tsx', 'src/server.ts'];
    expect(read('Dockerfile')).toContain(`CMD ${JSON.stringify(command).replaceAll(',', ', ')}`);
    expect(read('scripts/scale-test.sh')).toContain(command.join(' '));
  });
});
