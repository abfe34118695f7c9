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

    /** Verify a presentation; a challenge this service issued is single-use. */
    async verifyPresentation(input: unknown, options: VerifyRequestOptions, facts?: InputFacts): Promise<VerificationReport> {
      let report = await run(input, options, facts);
      const presentationOk = report.results.some((r) => r.check === 'presentation' && r.status === 'passed');
      if (presentationOk && options.challenge) {
        const verdict = await consumeChallenge(options.challenge);
        if (verdict) {
          const results: CheckResult[] = [...report.results, verdict];
          report = { ...buildReport(results, undefined, report.credentials), summary: report.summary };
        }
      }
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

  /** Mark one of our challenges used; a result line when it was already used or expired, null when not ours or fresh. */
  async function consumeChallenge(challenge: string): Promise<CheckResult | null> {
    const h = hash(challenge);
    const { rows } = await deps.db.query<{ used_at: Date | null; expires_at: Date }>('SELECT used_at, expires_at FROM presentation_challenges WHERE challenge_hash = $1', [h]);
    const row = rows[0];
    if (!row) return null; // a challenge the caller made itself: matching it is the caller's business
    if (new Date(row.expires_at).getTime() < deps.now().getTime()) {
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
