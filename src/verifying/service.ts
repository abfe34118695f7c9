import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/index.js';
import type { DidResolver } from '../did/index.js';
import type { DocumentLoader } from './document-loader.js';
import type { Check } from './check.js';
import { verify } from './verify.js';
import type { InputFacts } from './parse-input.js';
import { buildReport } from './report.js';
import type { CheckResult, StatusChecker, VerificationReport } from './types.js';

/** Adds facts about the credential to a finished report (e.g. the ELM summary for the web page). */
export type ReportEnricher = (report: VerificationReport, document: Record<string, unknown>) => Promise<void> | void;

/** Options a caller of the HTTP API may pass. */
export interface VerifyRequestOptions {
  challenge?: string;
  domain?: string;
}

const CHALLENGE_TTL_MS = 10 * 60_000;
const hash = (s: string) => createHash('sha256').update(s).digest('hex');

/** The service-level verifier: verify() with the service's loader, resolver, registry, status lists and challenges. */
export function createVerificationService(deps: {
  db: Db;
  documentLoader: DocumentLoader;
  resolver: DidResolver;
  now: () => Date;
  clockSkewSeconds: number;
  checks: () => readonly Check[];
  statusChecker?: () => StatusChecker | undefined;
  enrich?: ReportEnricher;
}) {
  const run = async (input: unknown, expected: VerifyRequestOptions = {}, facts?: InputFacts) => {
    const statusChecker = deps.statusChecker?.();
    const report = await verify(input, {
      ...(facts ? { input: facts } : {}),
      documentLoader: deps.documentLoader,
      resolver: deps.resolver,
      now: deps.now,
      clockSkewSeconds: deps.clockSkewSeconds,
      expected,
      checks: deps.checks(),
      ...(statusChecker ? { statusChecker } : {}),
      ...(deps.enrich ? { describe: deps.enrich } : {}),
    });
    return report;
  };

  return {
    /** Verify a credential (any accepted form); `facts`: what the caller knows of the input (see InputFacts). */
    async verifyCredential(input: unknown, facts?: InputFacts): Promise<VerificationReport> {
      return run(input, {}, facts);
    },

    /**
     * Verify a presentation. A challenge this service issued is single-use and binds the domain it
     * was issued for (whatever domain the caller passes); it is spent only by a presentation whose
     * holder proof verified, so a forged answer cannot use up a genuine holder's challenge.
     */
    async verifyPresentation(input: unknown, options: VerifyRequestOptions, facts?: InputFacts): Promise<VerificationReport> {
      const issued = options.challenge ? await findChallenge(options.challenge) : undefined;
      const domain = issued?.domain ?? options.domain;
      let report = await run(input, { ...options, ...(domain !== undefined ? { domain } : {}) }, facts);
      const extra: CheckResult[] = [];
      if (issued?.domain && options.domain !== undefined && options.domain !== issued.domain) {
        extra.push({ check: 'challenge', status: 'failed', code: 'PRESENTATION_DOMAIN_MISMATCH', message: `The challenge was issued for domain "${issued.domain}", not "${options.domain}".` });
      }
      const passed = (check: string) => report.results.some((r) => r.check === check && r.status === 'passed');
      if (issued && passed('presentation') && passed('proof')) {
        const verdict = await consumeChallenge(options.challenge!, issued);
        if (verdict) extra.push(verdict);
      }
      if (extra.length > 0) report = { ...buildReport([...report.results, ...extra], undefined, report.credentials), summary: report.summary };
      return report;
    },

    /** Issue a fresh single-use challenge (and echo the domain) for a presentation request. */
    async createChallenge(domain?: string): Promise<{ challenge: string; domain?: string; expiresAt: string }> {
      const challenge = randomBytes(24).toString('base64url');
      const expiresAt = new Date(deps.now().getTime() + CHALLENGE_TTL_MS);
      await deps.db.query('INSERT INTO presentation_challenges (challenge_hash, domain, expires_at) VALUES ($1, $2, $3)', [hash(challenge), domain ?? null, expiresAt]);
      return { challenge, ...(domain ? { domain } : {}), expiresAt: expiresAt.toISOString() };
    },
  };

  /** One of our challenges, or undefined for a challenge the caller made itself (matching it is the caller's business). */
  async function findChallenge(challenge: string): Promise<{ domain: string | null; expiresAt: Date } | undefined> {
    const { rows } = await deps.db.query<{ domain: string | null; expires_at: Date }>('SELECT domain, expires_at FROM presentation_challenges WHERE challenge_hash = $1', [hash(challenge)]);
    return rows[0] ? { domain: rows[0].domain, expiresAt: new Date(rows[0].expires_at) } : undefined;
  }

  /** Mark one of our challenges used; a result line: passed, or failed when it was already used or expired. */
  async function consumeChallenge(challenge: string, row: { expiresAt: Date }): Promise<CheckResult> {
    const h = hash(challenge);
    if (row.expiresAt.getTime() < deps.now().getTime()) {
      return { check: 'challenge', status: 'failed', code: 'PRESENTATION_CHALLENGE_EXPIRED', message: 'The challenge this presentation answers has expired; request a new one.' };
    }
    const res = await deps.db.query('UPDATE presentation_challenges SET used_at = $2 WHERE challenge_hash = $1 AND used_at IS NULL', [h, deps.now()]);
    if (res.rowCount === 0) {
      return { check: 'challenge', status: 'failed', code: 'PRESENTATION_CHALLENGE_REPLAYED', message: 'This challenge was already answered once: the presentation is a replay.' };
    }
    return { check: 'challenge', status: 'passed', message: 'The challenge was issued by this verifier and answered once.' };
  }
}

/** The verification service's type. */
export type VerificationService = ReturnType<typeof createVerificationService>;
