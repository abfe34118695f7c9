import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../src/issuing/index.js';
import { createDocumentLoader } from '../../src/jsonld/index.js';
import { parseKek, type Signer } from '../../src/keys/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TRUST_LIST = fileURLToPath(new URL('../fixtures/trust/trust-list.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'microcred-cli-'));

interface Run { code: number; stdout: string; stderr: string }

/** Run the CLI as a child process, optionally feeding stdin. */
function run(args: string[], opts: { stdin?: string; command?: string[] } = {}): Promise<Run> {
  const [cmd, ...pre] = opts.command ?? ['node', '--import', 'tsx', 'src/cli.ts'];
  return new Promise((resolve) => {
    const child = execFile(cmd!, [...pre, ...args], { cwd: ROOT, timeout: 110_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
    if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  });
}

const write = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return path;
};

async function keySigner(idFor: (mb: string) => string): Promise<{ did: string; signer: Signer }> {
  const kp = await Ed25519Multikey.generate();
  const id = idFor(kp.publicKeyMultibase!);
  const s = kp.signer();
  return { did: id.split('#')[0]!, signer: { id, algorithm: 'Ed25519', sign: (i) => s.sign(i) } };
}

async function signed(key: { did: string; signer: Signer }): Promise<Record<string, unknown>> {
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
    type: ['VerifiableCredential', 'ExampleAchievementCredential'],
    credentialSubject: { id: 'did:example:learner', name: 'Ana Andromeda' },
  };
  const issued = await issueCredential(credential, {
    mechanism: 'eddsa-rdfc-2022', signers: { ed25519: key.signer, p256: key.signer }, issuerDid: key.did,
    documentLoader: createDocumentLoader(), now: () => new Date(Date.now() - 60_000), newId: randomUUID,
  });
  return issued.verifiableCredential as Record<string, unknown>;
}

// Child processes boot tsx (and PGlite for --registry): slow on a loaded machine, so generous timeouts.
describe('microcred verify (child process)', { timeout: 120_000 }, () => {
  let key: { did: string; signer: Signer };
  let good: string;
  beforeAll(async () => {
    key = await keySigner((mb) => `did:key:${mb}#${mb}`);
    good = write('good.json', await signed(key));
  });

  it('a did:key credential verifies offline: exit 0, verdict first, one line per check', async () => {
    const r = await run(['verify', good]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^VALID {2}ldp_vc urn:uuid:/);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}✓ proof /));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}✓ issuer /));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}– trust .*\[REGISTRY_NOT_CONFIGURED\]/));
  });

  it('--json prints the full report; - reads stdin', async () => {
    const r = await run(['verify', '-', '--json'], { stdin: readFileSync(good, 'utf8') });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { verdict: string; results: Array<{ check: string; status: string }> };
    expect(report.verdict).toBe('valid');
    expect(report.results.find((x) => x.check === 'proof')?.status).toBe('passed');
  });

  it('a tampered credential: exit 1 with ✗ proof and its code', async () => {
    const vc = JSON.parse(readFileSync(good, 'utf8')) as Record<string, unknown>;
    const tampered = write('tampered.json', { ...vc, credentialSubject: { id: 'did:example:learner', name: 'Mallory' } });
    const r = await run(['verify', tampered]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^INVALID/);
    expect(r.stdout).toMatch(/✗ proof .*\[PROOF_VERIFICATION_ERROR\]/);
  });

  it('a did:web issuer cannot be resolved offline: exit 2 (indeterminate), never valid', async () => {
    const web = await keySigner(() => 'did:web:issuer.example.test#key-1');
    const path = write('did-web.json', await signed(web));
    const r = await run(['verify', path]);
    expect(r.code, r.stdout).toBe(2);
    expect(r.stdout.split('\n')[0]).toMatch(/^INDETERMINATE/);
    expect(r.stdout).toMatch(/\? issuer /);
  });

  it('--registry: an issuer missing from the trust list fails trust (exit 1); listed, it passes (exit 0)', async () => {
    const unknown = await run(['verify', good, '--registry', TRUST_LIST]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/✗ trust .*\[ISSUER_NOT_TRUSTED\]/);
    const list = JSON.parse(readFileSync(TRUST_LIST, 'utf8')) as { institutions: unknown[] };
    list.institutions.push({ legalName: 'did:key Academy', country: 'IE', dids: [key.did] });
    const listed = await run(['verify', good, '--registry', write('trust-list.json', list)]);
    expect(listed.code, listed.stdout).toBe(0);
    expect(listed.stdout).toMatch(/✓ trust .*did:key Academy/);
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['no file', ['verify'], /exactly one file/],
    ['two files', ['verify', 'a.json', 'b.json'], /exactly one file/],
    ['an unknown option', ['verify', 'a.json', '--fast'], /Unknown option/],
    ['a missing file', ['verify', join(dir, 'missing.json')], /cannot read .*missing\.json/],
    ['a broken trust list', ['verify', 'x', '--registry', join(dir, 'nope.json')], /nope\.json/],
    ['an unknown command', ['sign'], /unknown command: sign/],
  ];
  for (const [name, args, message] of usage) {
    it(`usage error on ${name}: exit 64`, async () => {
      const argv = args.map((a) => (a === 'x' ? good : a));
      const r = await run(argv);
      expect(r.code).toBe(64);
      expect(r.stderr).toMatch(message);
    });
  }

  it('npx microcred verify works through the package bin', async () => {
    const r = await run(['verify', good], { command: ['npx', '--no-install', 'microcred'] });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^VALID/);
  });

  it('keys generate prints a usable KEK and an admin token', async () => {
    const r = await run(['keys', 'generate']);
    expect(r.code).toBe(0);
    const env = Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split('=') as [string, string]));
    expect(parseKek(env.KEY_ENCRYPTION_KEY!)).toHaveLength(32);
    expect(env.ADMIN_TOKEN).toMatch(/^mca_[A-Za-z0-9_-]{43}$/);
  });
});
