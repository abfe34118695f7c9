/** Micro-credential issuing: templates, single issue (idempotent), bulk batches and their runner. */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import { appendAudit, type Actor } from '../audit/index.js';
import { withIdempotency, type CredentialService, type StoredResponse } from '../credentials/index.js';
import { AppError, BadRequestError } from '../errors.js';
import { findInstitutionById, type InstitutionRecord } from '../institutions/index.js';
import type { DocumentLoader } from '../jsonld/index.js';
import { isUniqueViolation, type Db, type Queryable } from '../store/index.js';
import type { RegistryRepo } from '../trust/index.js';
import { batchProgress, findBatch, finishRow, getBatch, listRowResults, type BatchProgress, type BatchRecord, type ClaimedRow, type RowResult } from './batches-repo.js';
import { digestCsv, receiveCsv, receiveJsonRows, type BatchHeader, type OnQueued } from './batch-intake.js';
import { csvSubmissionHash, findBatchKey, jsonSubmissionHash, replayBatchKey, saveBatchKey } from './batch-idempotency.js';
import { createBatchRunner, type BatchRunner, type RunnerLogger } from './batch-runner.js';
import { csvRecordToFields } from './csv-rows.js';
import { assertMechanism, buildFromRequest, resolveRequest, signMicroCredential, type IssueDeps, type IssueOptions } from './issue-request.js';
import { createTemplateService } from './templates.js';
import { retryWhileUnavailable, type UnavailableRetry } from './retry.js';

/** Dependencies of the micro-credential service. */
export interface MicroCredentialServiceDeps {
  db: Db;
  registry: Pick<RegistryRepo, 'getAccreditation'>;
  credentials: Pick<CredentialService, 'signAndStore'>;
  documentLoader: DocumentLoader;
  now: () => Date;
  newId: () => string;
  /** Runner tuning (chunk size, concurrency, lease, idle poll). */
  runner?: { chunkSize?: number; concurrency?: number; leaseMs?: number; idleMs?: number; worker?: string };
  logger?: RunnerLogger;
  /** How far in the future an award date may lie, for clocks that differ (default 300 s, as CLOCK_SKEW_SECONDS). */
  clockSkewSeconds?: number;
  /** How a batch row waits out a saturated service before failing (see retryWhileUnavailable). */
  unavailableRetry?: UnavailableRetry;
}

/** Body of POST /issuers/{slug}/micro-credentials: request fields (or per-learner fields + templateId) and options. */
export type IssueMicroCredentialBody = Record<string, unknown> & { templateId?: string; options?: IssueOptions };

/** Progress and identity of a batch, as the API shows it. */
export type BatchView = Pick<BatchRecord, 'id' | 'status' | 'templateId' | 'createdAt' | 'completedAt'> & BatchProgress;

/** Creates the service; the runner is started by the app (onReady) and stopped on close. */
export function createMicroCredentialService(deps: MicroCredentialServiceDeps) {
  const templates = createTemplateService(deps);
  const issueDeps: IssueDeps = deps;
  const dates = () => ({ now: deps.now(), clockSkewSeconds: deps.clockSkewSeconds ?? 300 });
  const worker = deps.runner?.worker ?? `${hostname()}:${process.pid}:${deps.newId().slice(0, 8)}`;

  /** Template spec for a request or batch naming one. */
  const specOf = async (institution: InstitutionRecord, templateId: string | undefined) =>
    templateId === undefined ? undefined : (await templates.get(institution, templateId)).spec;

  async function processRow(row: ClaimedRow, w: string): Promise<void> {
    const at = () => deps.now();
    let outcome: { credentialId: string } | { code: string; message: string; detail?: unknown };
    try {
      const batch = await findBatch(deps.db, row.batchId);
      const institution = batch ? await findInstitutionById(deps.db, batch.institutionId) : null;
      if (!batch || !institution) return; // batch removed meanwhile: nothing to record
      if (institution.status !== 'active') throw new AppError('INSTITUTION_DISABLED', `Institution "${institution.slug}" is disabled.`, 403);
      const fields = 'csv' in row.input ? csvRecordToFields(row.input['csv'] as Record<string, string>) : (row.input['fields'] as Record<string, unknown>);
      const request = resolveRequest(fields, batch.template ?? undefined, dates());
      const credential = await buildFromRequest(issueDeps, institution, request);
      // Securing waits out a saturated worker pool (503) instead of failing the learner's row; only
      // that step is retried, so the row's reserved status entries are reserved once.
      const secure = <T>(step: () => Promise<T>) => retryWhileUnavailable(step, deps.unavailableRetry);
      const { issued, persist } = await signMicroCredential(issueDeps, institution, credential, batch.options, batch.actor, secure);
      await deps.db.transaction(async (tx) => {
        await persist(tx);
        if (!(await finishRow(tx, w, row, { credentialId: issued.id }, at()))) throw LOST_CLAIM;
      });
      return;
    } catch (err) {
      if (err === LOST_CLAIM) return; // another runner owns the row now; our writes rolled back
      if (err instanceof AppError) outcome = { code: err.code, message: err.message, ...(err.detail ? { detail: err.detail } : {}) };
      else {
        deps.logger?.error({ err, batchId: row.batchId, row: row.rowNumber }, 'batch row failed unexpectedly');
        outcome = { code: 'INTERNAL_ERROR', message: 'The row could not be issued because of an internal error.' };
      }
    }
    await finishRow(deps.db, w, row, outcome, at());
  }

  const runner: BatchRunner = createBatchRunner({ db: deps.db, processRow, now: deps.now, worker, ...deps.runner, ...(deps.logger ? { logger: deps.logger } : {}) });

  async function view(batch: BatchRecord, q: Queryable = deps.db): Promise<BatchView> {
    const p = await batchProgress(q, batch.id);
    return { id: batch.id, status: batch.status, templateId: batch.templateId, createdAt: batch.createdAt, completedAt: batch.completedAt, ...p };
  }

  async function header(institution: InstitutionRecord, actor: Actor, templateId: string | undefined, options: IssueOptions | undefined): Promise<BatchHeader> {
    assertMechanism(options);
    const template = templateId === undefined ? null : await templates.get(institution, templateId);
    return { id: deps.newId(), institutionId: institution.id, templateId: template?.id ?? null, template: template?.spec ?? null, options: options ?? {}, actor };
  }

  async function queued(institution: InstitutionRecord, h: BatchHeader, answer?: BatchView): Promise<BatchView> {
    runner.wake();
    return answer ?? view(await getBatch(deps.db, institution.id, h.id));
  }

  /** What runs in the transaction that queues a batch: its audit record, then `more` (e.g. its Idempotency-Key). */
  const onQueued = (institution: InstitutionRecord, actor: Actor, h: BatchHeader, more?: OnQueued): OnQueued =>
    async (tx, total) => {
      await appendAudit(tx, { actor, institutionId: institution.id, action: 'batch.created', targetType: 'batch', targetId: h.id, at: deps.now(), detail: { total, templateId: h.templateId } });
      if (more) await more(tx, total);
    };

  /**
   * Idempotency-Key on batches: the key is recorded with the 202 answer in the transaction that
   * queues the batch, so a retry after a lost answer gets that answer and nothing is issued twice.
   */
  const recordKey = (institution: InstitutionRecord, key: string, batchId: string, hashOf: () => string, out: { answer?: BatchView }): OnQueued =>
    async (tx) => {
      const answer = await view(await getBatch(tx, institution.id, batchId), tx);
      await saveBatchKey(tx, institution.id, key, { hash: hashOf(), statusCode: 202, body: answer });
      out.answer = answer;
    };

  /** A concurrent submission with the same key won (our batch is already removed): answer as its retry. */
  async function afterKeyRace(err: unknown, institution: InstitutionRecord, key: string | undefined, hash: string | undefined): Promise<BatchView> {
    if (!key || hash === undefined || !isUniqueViolation(err)) throw err;
    const winner = await findBatchKey(deps.db, institution.id, key);
    if (!winner) throw err;
    return replayBatchKey(winner, hash, key) as BatchView;
  }

  return {
    templates,
    runner,

    /** Issue one micro-credential; idempotent per institution with an Idempotency-Key. */
    async issue(institution: InstitutionRecord, body: IssueMicroCredentialBody, actor: Actor, idempotencyKey?: string): Promise<StoredResponse> {
      return withIdempotency(deps.db, { institutionId: institution.id, scope: 'micro-credentials.issue', key: idempotencyKey, body }, async () => {
        const { templateId, options, ...fields } = body;
        assertMechanism(options);
        const request = resolveRequest(fields, await specOf(institution, templateId), dates());
        const credential = await buildFromRequest(issueDeps, institution, request);
        const { issued, persist } = await signMicroCredential(issueDeps, institution, credential, options, actor);
        return { persist, response: { statusCode: 201, body: issued } };
      });
    },

    /** Receive a CSV batch (streamed; the template named once) and queue it; idempotent per institution with a key. */
    async createCsvBatch(
      institution: InstitutionRecord, actor: Actor, source: Readable, opts: { templateId?: string; options?: IssueOptions; maxBytes: number; idempotencyKey?: string },
    ): Promise<BatchView> {
      if (!opts.templateId) throw new BadRequestError('BATCH_TEMPLATE_REQUIRED', 'A CSV batch names its course with ?templateId=; the CSV carries per-learner columns only.');
      const key = opts.idempotencyKey;
      const fingerprint = (sha256: string) => csvSubmissionHash({ templateId: opts.templateId, options: opts.options }, sha256);
      if (key) {
        const stored = await findBatchKey(deps.db, institution.id, key);
        // A retry: read the body only to compare it with the first one.
        if (stored) return replayBatchKey(stored, fingerprint(await digestCsv(source, opts.maxBytes)), key) as BatchView;
      }
      const h = await header(institution, actor, opts.templateId, opts.options);
      const sha = createHash('sha256');
      const out: { answer?: BatchView } = {};
      let hash: string | undefined;
      try {
        await receiveCsv(deps.db, h, source, {
          now: deps.now, maxBytes: opts.maxBytes,
          ...(key ? { hash: sha } : {}),
          onQueued: onQueued(institution, actor, h, key ? recordKey(institution, key, h.id, () => (hash = fingerprint(sha.digest('hex'))), out) : undefined),
        });
        return await queued(institution, h, out.answer);
      } catch (err) {
        return afterKeyRace(err, institution, key, hash);
      }
    },

    /** Receive a JSON batch (rows of request fields, merged over the template when one is named) and queue it; idempotent with a key. */
    async createJsonBatch(
      institution: InstitutionRecord, actor: Actor, body: { templateId?: string; rows: Record<string, unknown>[]; options?: IssueOptions }, idempotencyKey?: string,
    ): Promise<BatchView> {
      const key = idempotencyKey;
      const hash = key ? jsonSubmissionHash(body) : undefined;
      if (key) {
        const stored = await findBatchKey(deps.db, institution.id, key);
        if (stored) return replayBatchKey(stored, hash!, key) as BatchView;
      }
      const h = await header(institution, actor, body.templateId, body.options);
      const out: { answer?: BatchView } = {};
      try {
        await receiveJsonRows(deps.db, h, body.rows, { now: deps.now, onQueued: onQueued(institution, actor, h, key ? recordKey(institution, key, h.id, () => hash!, out) : undefined) });
        return await queued(institution, h, out.answer);
      } catch (err) {
        return afterKeyRace(err, institution, key, hash);
      }
    },

    /** Progress of a batch of the institution. */
    async getBatch(institution: InstitutionRecord, id: string): Promise<BatchView> {
      return view(await getBatch(deps.db, institution.id, id));
    },

    /** A page of a batch's row results. */
    async batchRows(institution: InstitutionRecord, id: string, page: { status?: 'pending' | 'issued' | 'failed'; after?: number; limit: number }): Promise<{ items: RowResult[]; next: number | null }> {
      const batch = await getBatch(deps.db, institution.id, id);
      const items = await listRowResults(deps.db, batch.id, page);
      return { items, next: items.length === page.limit ? items[items.length - 1]!.row : null };
    },
  };
}

const LOST_CLAIM = new Error('batch row claim lost');

/** The micro-credential service's type. */
export type MicroCredentialService = ReturnType<typeof createMicroCredentialService>;
