// The verification page: read what the user gives (drop, file, paste, ?credential= link, shared view), ask the
// service to verify it, show the verdict first. No framework, no third-party code.
import { renderResult } from './render.js';

const $ = (sel) => document.querySelector(sel);
const MAX_BYTES = 1024 * 1024;
let lastReport = null;

function setStatus(text, isError = false) {
  const el = $('#status');
  el.textContent = text;
  el.classList.toggle('error', isError);
  // Success announcements are for screen readers; the verdict banner says it visually.
  el.classList.toggle('sr-only', !isError && text.startsWith('Result:'));
  el.setAttribute('role', isError ? 'alert' : 'status');
}

function base64urlJson(part) {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0))));
}

/** Turn the user's text into a VC-API request body; throws a user-facing Error. */
function requestBodyOf(text) {
  const t = text.trim();
  if (!t) throw new Error('Nothing to check: paste a credential or choose a file.');
  let input;
  let isVp = false;
  if (t.startsWith('{')) {
    try {
      input = JSON.parse(t);
    } catch {
      throw new Error('This is not valid JSON. Check that the whole file was pasted.');
    }
    // Our own download/share formats wrap the credential.
    if (input && typeof input === 'object' && input.verifiableCredential && !input.type) input = input.verifiableCredential;
    const types = [].concat(input?.type ?? []);
    isVp = types.includes('VerifiablePresentation') || types.includes('EnvelopedVerifiablePresentation');
  } else if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(t.replace(/\s+/g, ''))) {
    input = t.replace(/\s+/g, '');
    try {
      const header = base64urlJson(input.split('.')[0]);
      isVp = /vp\+(jwt|sd-jwt)/.test(String(header.typ ?? ''));
    } catch {
      throw new Error('This looks like a JWT but its header cannot be read.');
    }
  } else {
    throw new Error('This is neither JSON nor a JWT. A credential file starts with { or with ey.');
  }
  if (!isVp) return { verifiableCredential: input };
  const options = {};
  if ($('#challenge').value.trim()) options.challenge = $('#challenge').value.trim();
  if ($('#domain').value.trim()) options.domain = $('#domain').value.trim();
  return { verifiablePresentation: input, options };
}

function show(data, startedAt) {
  lastReport = data.report;
  const verdict = renderResult(document, data);
  $('#print-meta').textContent = `Checked on ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC at ${location.origin}.`;
  $('#result').hidden = false;
  // Verdict first: the input moves out of the way; "Check another credential" brings it back.
  $('#input-section').hidden = true;
  if (startedAt !== undefined) document.body.dataset.verdictMs = String(Math.round(performance.now() - startedAt));
  document.body.dataset.verdict = verdict.key;
  setStatus(`Result: ${verdict.title}.`);
  $('#verdict-h').focus();
}

async function check(text) {
  const startedAt = performance.now();
  let body;
  try {
    body = requestBodyOf(text);
  } catch (err) {
    setStatus(err.message, true);
    return;
  }
  setStatus('Checking…');
  $('#check').disabled = true;
  try {
    const res = await fetch('/web/verify', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    const data = await res.json().catch(() => null);
    if (!res.ok || !data?.report) throw new Error(data?.detail ?? `The service answered ${res.status}.`);
    show(data, startedAt);
  } catch (err) {
    setStatus(`The credential could not be checked: ${err.message}`, true);
  } finally {
    $('#check').disabled = false;
  }
}

async function readFile(file) {
  if (!file) return;
  if (file.size > MAX_BYTES) {
    setStatus('This file is larger than 1 MB; a credential is much smaller.', true);
    return;
  }
  $('#paste').value = '';
  await check(await file.text());
}

function downloadReport() {
  if (!lastReport) return;
  const blob = new Blob([JSON.stringify({ checkedAt: new Date().toISOString(), verifier: location.origin, report: lastReport }, null, 2)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `verification-report-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function wireInput() {
  const drop = $('#drop');
  // Dropping anywhere must not navigate away to the file.
  for (const ev of ['dragover', 'drop']) document.addEventListener(ev, (e) => e.preventDefault());
  drop.addEventListener('dragenter', () => drop.classList.add('over'));
  drop.addEventListener('dragover', () => drop.classList.add('over'));
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    drop.classList.remove('over');
    void readFile(e.dataTransfer?.files?.[0]);
  });
  $('#file').addEventListener('change', (e) => void readFile(e.target.files?.[0]));
  $('#paste-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void check($('#paste').value);
  });
  $('#download').addEventListener('click', downloadReport);
  $('#print').addEventListener('click', () => window.print());
  // Printed reports show every technical detail.
  let closed = [];
  window.addEventListener('beforeprint', () => {
    closed = [...document.querySelectorAll('details.tech:not([open])')];
    closed.forEach((d) => (d.open = true));
  });
  window.addEventListener('afterprint', () => closed.forEach((d) => (d.open = false)));
}

async function fromLink(url) {
  let target;
  try {
    target = new URL(url, location.href);
  } catch {
    setStatus('The credential link is not a valid address.', true);
    return;
  }
  if (target.origin !== location.origin) {
    setStatus('Only credentials on this service can be opened by link. Download the file and drop it here instead.', true);
    return;
  }
  setStatus('Fetching the credential…');
  try {
    const res = await fetch(target, { headers: { accept: 'application/json, application/vc+jwt, application/jwt, text/plain' } });
    if (!res.ok) throw new Error(`the service answered ${res.status}`);
    await check(await res.text());
  } catch (err) {
    setStatus(`The credential could not be fetched: ${err.message}`, true);
  }
}

function init() {
  wireInput();
  const pre = document.getElementById('preloaded');
  if (pre) {
    // Shared view: the server verified the credential when the page was requested.
    const data = JSON.parse(pre.textContent);
    if (data.error) {
      setStatus(data.error.message, true);
      return;
    }
    document.body.classList.add('shared');
    show(data);
    return;
  }
  const link = new URLSearchParams(location.search).get('credential');
  if (link) void fromLink(link);
}

init();
