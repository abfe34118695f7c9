import { buildTestApp } from '../test/helpers/app.js';
import { openTestDb } from '../test/helpers/stores.js';
import { annexCredential } from './lib/fixtures.js';
process.env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const db = await openTestDb('postgres');
const log: string[] = [];
const wrap = (q: any) => { const orig = q.query.bind(q); q.query = async (sql: string, p?: unknown[]) => { log.push(sql.replace(/\s+/g, ' ').slice(0, 110) + `  [${JSON.stringify(p ?? []).length}B]`); return orig(sql, p); }; };
wrap(db);
const origTx = db.transaction.bind(db);
(db as any).transaction = (fn: any) => origTx(async (tx: any) => { log.push('BEGIN'); wrap(tx); const r = await fn(tx); log.push('COMMIT'); return r; });
const t = await buildTestApp({ db });
const inst = await t.createInstitution('q' + Date.now().toString(36));
for (const mech of ['eddsa-rdfc-2022', 'eddsa-rdfc-2022']) {
  log.length = 0;
  const res = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: annexCredential(inst.did), options: { mechanism: mech } } });
  console.log(res.statusCode, log.length, 'queries'); console.log(log.join('\n'));
}
const signed = (await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: annexCredential(inst.did) } })).json().verifiableCredential;
await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: signed } });
log.length = 0;
const v = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: signed } });
console.log('verify', v.statusCode, log.length, 'queries'); console.log(log.join('\n'));
await t.close(); process.exit(0);
