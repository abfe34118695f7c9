/**
 * The JOSE reference server (see jose-reference.ts): the least an HTTP `vc+jwt` issuer can do.
 * Fastify without logging parses the JSON body, fills id/issuer/validFrom and the JWT claims,
 * signs with jose (EdDSA, a node:crypto KeyObject, as the service signs) and answers 201 with the
 * enveloped credential. With REFERENCE_DATABASE_URL it also stores each JWS durably, one row per
 * request in a scratch table, written as the service writes issuances: together while one
 * statement is in flight (up to 16), each statement its own commit. Nothing else: no auth,
 * validation, status list, audit record or metrics.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { CompactSign } from 'jose';
import pg from 'pg';

const ISSUER = 'did:example:jose-reference';
const TABLE = 'bench_jose_reference';
const { privateKey } = generateKeyPairSync('ed25519');
const encoder = new TextEncoder();

const databaseUrl = process.env.REFERENCE_DATABASE_URL;
const pool = databaseUrl ? new pg.Pool({ connectionString: databaseUrl, max: 4 }) : undefined;
if (pool) await pool.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id text PRIMARY KEY, jwt text NOT NULL, issued_at timestamptz NOT NULL)`);

type Pending = { id: string; jwt: string; at: Date; done: (err?: unknown) => void };
const queue: Pending[] = [];
let inFlight = false;
function pump(): void {
  if (inFlight || queue.length === 0 || !pool) return;
  const batch = queue.splice(0, 16);
  inFlight = true;
  const values = batch.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ');
  pool
    .query(`INSERT INTO ${TABLE} (id, jwt, issued_at) VALUES ${values}`, batch.flatMap((p) => [p.id, p.jwt, p.at]))
    .then(() => batch.forEach((p) => p.done()), (err: unknown) => batch.forEach((p) => p.done(err ?? new Error('insert failed'))))
    .finally(() => {
      inFlight = false;
      pump();
    });
}
const store = (id: string, jwt: string, at: Date) =>
  new Promise<void>((resolve, reject) => {
    queue.push({ id, jwt, at, done: (err) => (err === undefined ? resolve() : reject(err)) });
    pump();
  });

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post<{ Body: { credential: Record<string, unknown> } }>('/credentials/issue', async (request, reply) => {
  const at = new Date();
  const id = `urn:uuid:${randomUUID()}`;
  const credential: Record<string, unknown> = { ...request.body.credential, id, issuer: ISSUER, validFrom: at.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  const subject = (credential.credentialSubject as { id?: string } | undefined)?.id;
  const payload = { ...credential, iss: ISSUER, jti: id, ...(subject ? { sub: subject } : {}), iat: Math.floor(at.getTime() / 1000) };
  const jwt = await new CompactSign(encoder.encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: `${ISSUER}#key-1` })
    .sign(privateKey);
  if (pool) await store(id, jwt, at);
  return reply.status(201).send({ verifiableCredential: { '@context': ['https://www.w3.org/ns/credentials/v2'], id: `data:application/vc+jwt,${jwt}`, type: 'EnvelopedVerifiableCredential' } });
});

process.once('SIGTERM', () => {
  void app.close().then(async () => {
    if (pool) {
      await pool.query(`DROP TABLE IF EXISTS ${TABLE}`);
      await pool.end();
    }
    process.exit(0);
  });
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.send?.('ready');
