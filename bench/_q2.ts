import { buildTestApp } from '../test/helpers/app.js';
import { annexCredential } from './lib/fixtures.js';
import * as fr from '../src/jsonld/fast-rdf.js';
const t = await buildTestApp({ env: { WORKER_THREADS: '1' } });
const inst = await t.createInstitution('q' + Date.now().toString(36));
const jsonld = (await import('jsonld')).default as any;
const origToRDF = jsonld.toRDF; jsonld.toRDF = (d: any, o: any) => { console.log('STOCK toRDF', JSON.stringify(d).slice(0, 300)); return origToRDF(d, o); };
const origExp = jsonld.expand; jsonld.expand = (d: any, o: any) => { console.log('STOCK expand', JSON.stringify(d).slice(0, 200)); return origExp(d, o); };
for (let i = 0; i < 2; i++) {
  const res = await t.app.inject({ method: 'POST', url: '/credentials/issue', headers: inst.auth, payload: { credential: annexCredential(inst.did) } });
  console.log(res.statusCode);
  const v = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: res.json().verifiableCredential } });
  console.log('verify', v.statusCode, JSON.stringify(v.json()).slice(0, 300));
}
await t.close(); process.exit(0);
