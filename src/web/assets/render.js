// Builds the result view from the page verification ({kind, report, credentials}). DOM only through
// createElement/textContent: everything shown comes from an untrusted file.
import { STATUS, checkTitle, explain, formatDate } from './explain.js';

/** Create an element: h('p', {class: 'x'}, 'text', child…). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

const allResults = (report) => [...report.results, ...(report.credentials ?? []).flatMap(allResults)];

/** The headline: Valid / Not valid / Revoked / Suspended / Could not be fully checked. */
export function verdictOf(report, names) {
  const failed = allResults(report).filter((r) => r.status === 'failed');
  if (failed.some((r) => r.code === 'CREDENTIAL_REVOKED')) {
    return { key: 'revoked', title: 'Revoked', text: 'The issuer has withdrawn this credential. Do not rely on it.' };
  }
  if (failed.some((r) => r.code === 'CREDENTIAL_SUSPENDED')) {
    return { key: 'revoked', title: 'Suspended', text: 'The issuer has suspended this credential for now. Do not rely on it until it is reinstated.' };
  }
  if (report.verdict === 'valid') {
    const what = names.title ? `“${names.title}”, ` : '';
    return { key: 'valid', title: 'Valid', text: `${what}issued by ${names.issuerName ?? 'its issuer'}: genuine, unchanged and in good standing.` };
  }
  if (report.verdict === 'invalid') {
    const which = [...new Set(failed.map((r) => checkTitle(r.check).toLowerCase()))].join(', ');
    return { key: 'invalid', title: 'Not valid', text: `Failed: ${which}. Do not rely on this credential; the reasons are below.` };
  }
  return { key: 'indeterminate', title: 'Could not be fully checked', text: 'Nothing failed, but some checks could not be completed. The reasons are below.' };
}

function checkLine(r, ctx) {
  const s = STATUS[r.status] ?? STATUS.indeterminate;
  const tech = h('details', { class: 'tech' },
    h('summary', {}, 'Technical details'),
    h('dl', {},
      h('dt', {}, 'Check'), h('dd', {}, h('code', {}, r.check)),
      h('dt', {}, 'Outcome'), h('dd', {}, h('code', {}, r.status)),
      r.code ? [h('dt', {}, 'Code'), h('dd', {}, h('code', { class: 'code' }, r.code))] : null,
      h('dt', {}, 'Message'), h('dd', {}, r.message ?? ''),
      r.detail ? [h('dt', {}, 'Detail'), h('dd', {}, h('pre', {}, JSON.stringify(r.detail, null, 2)))] : null));
  return h('li', { class: `check is-${r.status}`, 'data-check': r.check, 'data-status': r.status },
    h('span', { class: 'check-icon', 'aria-hidden': 'true' }, s.symbol),
    h('div', { class: 'check-body' },
      h('p', { class: 'check-head' }, h('strong', {}, checkTitle(r.check)), ' ', h('span', { class: 'check-status' }, s.word)),
      h('p', { class: 'check-text' }, explain(r, ctx)),
      tech));
}

/** The list of checks of one report. */
export function renderChecks(report, ctx, headingId, headingText) {
  return h('section', { class: 'card', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, headingText),
    h('ul', { class: 'checks' }, report.results.map((r) => checkLine(r, ctx))));
}

const notStated = () => h('span', { class: 'none' }, 'Not stated');
const joinParts = (parts) => parts.filter(Boolean).join(' · ') || null;

function row(label, value, key) {
  const v = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0) ? notStated() : value;
  return [h('dt', {}, label), h('dd', { 'data-field': key }, v)];
}

function languageName(code) {
  try {
    return new Intl.DisplayNames([code, 'en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function elmFacts(s, annexI) {
  const qa = s.qualityAssurance?.accreditation;
  const qaText = qa
    ? joinParts([qa.title, qa.type, qa.accreditingAgent ? `by ${qa.accreditingAgent}` : null, qa.expiryDate ? `until ${formatDate(qa.expiryDate)}` : null])
    : s.qualityAssurance?.type;
  const level = joinParts([s.eqfLevel ? `EQF level ${s.eqfLevel.replace(/^(EQF\s*)?(level\s*)?/i, '')}` : null, s.nqfLevel ? `${s.nqfLevel} (national framework)` : null]);
  const workload = joinParts([s.ects !== undefined ? `${s.ects} ECTS credits` : null, s.hours !== undefined ? `${s.hours} hours` : null]);
  const issuer = joinParts([s.issuer?.name, s.issuer?.country]);
  const outcomes = s.learningOutcomes?.length ? h('ul', { class: 'outcomes' }, s.learningOutcomes.map((o) => h('li', {}, o))) : null;
  const validity = joinParts([s.validFrom ? `from ${formatDate(s.validFrom)}` : null, s.validUntil ? `until ${formatDate(s.validUntil)}` : 'no end date']);
  const missing = annexI && !annexI.complete
    ? h('span', { class: 'missing' }, h('span', { 'aria-hidden': 'true' }, '! '), `Missing: ${annexI.mandatory.filter((e) => !e.present).map((e) => e.label.toLowerCase()).join('; ')}`)
    : annexI ? `All ${annexI.mandatory.length} elements the EU Council Recommendation requires are present.` : null;
  return h('dl', { class: 'facts' },
    row('Learner', s.learner, 'learner'),
    row('Title', s.title, 'title'),
    row('Issued by', issuer, 'issuer'),
    row('Awarding body', s.awardingBody, 'awardingBody'),
    row('Date of issue', formatDate(s.issued), 'issued'),
    row('Learning outcomes', outcomes, 'learningOutcomes'),
    row('Workload', workload, 'workload'),
    row('Level', level, 'level'),
    row('Assessment', joinParts([s.assessment?.type, s.assessment?.grade ? `grade ${s.assessment.grade}` : null, s.assessment?.idVerification ? `identity: ${s.assessment.idVerification}` : null]), 'assessment'),
    row('Participation', joinParts([s.participation?.mode, s.participation?.setting]), 'participation'),
    row('Quality assurance', qaText, 'qualityAssurance'),
    row('Stackability', s.stackability, 'stackability'),
    row('Validity', validity, 'validity'),
    annexI ? row('EU required elements', missing, 'annexI') : null);
}

function genericFacts(d, report) {
  return h('dl', { class: 'facts' },
    row('Type', d.generic.types.filter((t) => t !== 'VerifiableCredential').join(', ') || 'Verifiable credential', 'type'),
    row('Issued by', d.generic.issuerName ?? report.summary?.issuer, 'issuer'),
    row('Valid', joinParts([report.summary?.validFrom ? `from ${formatDate(report.summary.validFrom)}` : null, report.summary?.validUntil ? `until ${formatDate(report.summary.validUntil)}` : null]), 'validity'),
    d.generic.claims.map((c) => row(c.label, c.value, `claim:${c.label}`)));
}

/** The credential itself, with a language switch when it has several languages. */
export function renderCredential(display, report, idBase) {
  const headingId = `${idBase}-cred-h`;
  const section = h('section', { class: 'card credential', 'aria-labelledby': headingId });
  if (!display) {
    section.append(h('h2', { id: headingId }, 'The credential'), h('p', {}, 'The content could not be read.'));
    return section;
  }
  if (!display.elm) {
    section.append(h('h2', { id: headingId }, 'What it says'), genericFacts(display, report));
    return section;
  }
  const body = h('div', {});
  const show = (lang) => {
    const s = display.summaries[lang];
    body.replaceChildren(elmFacts(s, display.annexI));
  };
  section.append(h('h2', { id: headingId }, 'What it certifies'));
  if (display.languages.length > 1) {
    const selId = `${idBase}-lang`;
    const select = h('select', { id: selId }, display.languages.map((l) => h('option', { value: l }, languageName(l))));
    select.addEventListener('change', () => show(select.value));
    section.append(h('p', { class: 'lang no-print' }, h('label', { for: selId }, 'Language '), select));
  }
  section.append(body);
  show(display.languages[0]);
  return section;
}

/** Names used by the verdict and the check lines for one credential. */
export function namesOf(display, report) {
  const s = display?.summaries?.[display.languages[0]];
  return {
    title: s?.title,
    issuerName: display?.generic?.issuerName ?? s?.issuer?.name,
    issuerDid: report.summary?.issuer,
    validUntil: report.summary?.validUntil ?? s?.validUntil,
  };
}

/** Fill the result section; returns the verdict shown. */
export function renderResult(root, data) {
  const { report } = data;
  const first = data.credentials[0] ?? null;
  const firstReport = data.kind === 'presentation' ? report.credentials?.[0] ?? report : report;
  const names = namesOf(first, firstReport);
  const v = verdictOf(report, names);
  const box = root.querySelector('#verdict');
  box.dataset.verdict = v.key;
  box.querySelector('.verdict-icon').textContent = { valid: '✓', invalid: '✕', revoked: '✕', indeterminate: '?' }[v.key];
  root.querySelector('#verdict-h').textContent = v.title;
  root.querySelector('#verdict-text').textContent = v.text;
  const subjects = root.querySelector('#subjects');
  subjects.replaceChildren();
  if (data.kind === 'presentation') {
    subjects.append(renderChecks(report, {}, 'vp-checks-h', 'The presentation'));
    (report.credentials ?? []).forEach((sub, i) => {
      const d = data.credentials[i] ?? null;
      const n = namesOf(d, sub);
      subjects.append(h('h2', { class: 'sub-h' }, `Credential ${i + 1}${n.title ? `: ${n.title}` : ''}`),
        renderChecks(sub, n, `c${i}-checks-h`, 'What was checked'), renderCredential(d, sub, `c${i}`));
    });
  } else {
    subjects.append(renderChecks(report, names, 'checks-h', 'What was checked'), renderCredential(first, report, 'c0'));
  }
  return v;
}
