// Worker thread: JSON-LD → RDF → RDFC-1.0 canonical N-Quads, exactly as the Digital Bazaar
// cryptosuites do it (jsonld.toRDF + rdf-canonize.canonize, same defaults), so the output is
// byte-identical to the in-process path. Plain JavaScript: workers must start without a
// TypeScript loader (vitest, tsx and compiled builds alike).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import jsonld from 'jsonld';
import * as rdfCanonize from 'rdf-canonize';

// jsonld.js deep-copies the whole term map of the active context every time a type- or
// property-scoped context is applied (ELM applies one on almost every node): that copy and
// its garbage were ~40% of canonicalization. Term definitions are created fresh by
// createTermDefinition and never mutated afterwards, so a shallow copy of the Map is an
// exact copy. Only Maps are affected (JSON documents contain none; the other Map jsonld
// clones is none). Scoped to this worker; test/workers proves byte-identical output.
if (workerData?.fastContextClone !== false) {
  const require = createRequire(import.meta.url);
  const util = require(join(dirname(require.resolve('jsonld')), 'util.js'));
  const deepClone = util.clone;
  util.clone = (value) => (value instanceof Map ? new Map(value) : deepClone(value));
}

/** Bundled contexts (url → document), handed over once at start; served locally. */
const contexts = new Map(Object.entries(workerData?.contexts ?? {}));
const pendingLoads = new Map();
let nextLoad = 0;

// Anything not bundled is asked of the main thread, which answers with the caller's own
// document loader (so DID URLs, jsigs' extended contexts and refusals behave identically).
function loaderFor(taskId) {
  return async (url) => {
    const local = contexts.get(url);
    if (local) return { contextUrl: null, documentUrl: url, document: structuredClone(local) };
    const loadId = ++nextLoad;
    const answer = await new Promise((resolve) => {
      pendingLoads.set(loadId, resolve);
      parentPort.postMessage({ type: 'load', taskId, loadId, url });
    });
    if (!answer.ok) {
      const err = new Error(answer.message);
      err.name = 'LoaderError';
      err.forwarded = true;
      throw err;
    }
    return answer.remote;
  };
}

/** JSON-safe copy of what jsonld.js / rdf-canonize put on their errors (name, message, details). */
function serializeError(err, depth = 0) {
  if (!err || typeof err !== 'object' || depth > 4) return { name: 'Error', message: String(err) };
  const out = { name: String(err.name ?? 'Error'), message: String(err.message ?? '') };
  if (err.details && typeof err.details === 'object') {
    const d = {};
    for (const [k, v] of Object.entries(err.details)) {
      if (k === 'cause') d.cause = serializeError(v, depth + 1);
      else {
        try {
          d[k] = structuredClone(v);
        } catch {
          d[k] = String(v);
        }
      }
    }
    out.details = d;
  }
  if (err.forwarded) out.forwarded = true;
  if (err.cause) out.cause = serializeError(err.cause, depth + 1);
  return out;
}

async function canonize(taskId, input, options) {
  const { timeoutMs, ...rest } = options ?? {};
  const opts = { algorithm: 'RDFC-1.0', format: 'application/n-quads', base: null, safe: true, ...rest, documentLoader: loaderFor(taskId) };
  if (typeof timeoutMs === 'number') opts.signal = AbortSignal.timeout(timeoutMs);
  const toRdfOpts = { rdfDirection: 'i18n-datatype', ...opts, produceGeneralizedRdf: false };
  delete toRdfOpts.format;
  const dataset = await jsonld.toRDF(input, toRdfOpts);
  return rdfCanonize.canonize(dataset, opts);
}

// Safe-mode expansion (the undefined-term check); `discard` skips sending the result back.
async function expand(taskId, input, options) {
  const { discard, ...rest } = options ?? {};
  const expanded = await jsonld.expand(input, { base: null, safe: true, ...rest, documentLoader: loaderFor(taskId) });
  return discard ? null : expanded;
}

parentPort.on('message', async (msg) => {
  if (msg.type === 'loaded') {
    const resolve = pendingLoads.get(msg.loadId);
    pendingLoads.delete(msg.loadId);
    resolve?.(msg);
    return;
  }
  if (msg.type !== 'canonize' && msg.type !== 'expand') return;
  try {
    const result = msg.type === 'canonize' ? await canonize(msg.taskId, msg.input, msg.options) : await expand(msg.taskId, msg.input, msg.options);
    parentPort.postMessage({ type: 'done', taskId: msg.taskId, ok: true, result });
  } catch (err) {
    parentPort.postMessage({ type: 'done', taskId: msg.taskId, ok: false, error: serializeError(err) });
  }
});
