import type { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { RouteContext } from '../app.js';
import { actorOf } from '../plugins/auth.js';
import { AppError, BadRequestError } from '../errors.js';
import type { IssueOptions } from '../microcredentials/index.js';

/** Largest batch upload (CSV or JSON). */
export const BATCH_BODY_LIMIT = 50 * 1024 * 1024;
const slugParams = { type: 'object', required: ['slug'], properties: { slug: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' } } } as const;
const idParams = { type: 'object', required: ['slug', 'id'], properties: { ...slugParams.properties, id: { type: 'string', minLength: 1, maxLength: 100 } } } as const;
const MECHANISMS = ['eddsa-rdfc-2022', 'ecdsa-rdfc-2019', 'Ed25519Signature2020', 'vc+jwt'];

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The charset a Content-Type declares, lower-cased and unquoted (undefined when none). Only UTF-8
 * (and its subset US-ASCII) is read: another encoding would be decoded into wrong letters.
 */
function declaredCharset(contentType: string): string | undefined {
  for (const param of contentType.split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq !== -1 && param.slice(0, eq).trim().toLowerCase() === 'charset') return param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return undefined;
}
const READABLE_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

type BatchQuery = { templateId?: string; mechanism?: IssueOptions['mechanism']; suspension?: boolean };

/** Bulk issuance: CSV (streamed) or JSON rows, run as a persisted job; progress and row results. */
export const batchRoutes: FastifyPluginAsync<RouteContext> = async (app, ctx) => {
  const service = ctx.services.microcredentials;
  const common = { tags: ['micro-credentials'], security: [{ bearer: [] }] };

  // The CSV body reaches the service as a stream; it is parsed and stored chunk by chunk.
  app.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));
  app.addHook('onReady', async () => service.runner.start());
  app.addHook('onClose', async () => service.runner.stop());

  app.post<{ Params: { slug: string }; Querystring: BatchQuery; Body: unknown; Headers: { 'idempotency-key'?: string } }>(
    '/issuers/:slug/batches',
    {
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        ...common,
        summary: 'Submit a bulk issuance: text/csv (template named once with ?templateId=) or application/json rows',
        description: 'text/csv: header line, then one learner per row; columns row_key, given_name*, family_name*, email, date_of_birth, student_id, national_id, national_id_country, learner_did, grade, supervision, awarded_date, valid_from, valid_until, identifier. Options as query parameters (mechanism, suspension). application/json: api.batch-json.json (up to 10,000 rows; options in the body, so the query may name templateId only). 202 with the batch; rows are issued by the job runner. The CSV must be UTF-8: another declared charset → 415 CSV_CHARSET_UNSUPPORTED, bytes that are not UTF-8 → 400 CSV_ENCODING_INVALID. A CSV over 50 MiB → 413 BATCH_TOO_LARGE (a JSON body over 50 MiB → 413 PAYLOAD_TOO_LARGE). Idempotency-Key: same key + same body returns the first 202 (same batch); another body → 422 IDEMPOTENCY_KEY_REUSED.',
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string' } } },
        params: slugParams,
        querystring: {
          type: 'object', additionalProperties: false,
          properties: {
            templateId: { type: 'string', minLength: 1, maxLength: 100 },
            mechanism: { enum: MECHANISMS, description: 'CSV only. A Data Integrity suite (default eddsa-rdfc-2022); micro-credentials are VC 1.1, so vc+jwt is refused with 400 JOSE_REQUIRES_VC2.' },
            suspension: { type: 'boolean', description: 'CSV only. Also give each credential a suspension status entry.' },
          },
        },
        // The CSV reaches the handler as a stream, so its schema constrains nothing; the JSON body is
        // also checked in the handler, whatever JSON media type carried it.
        body: {
          content: {
            'text/csv': { schema: { description: 'UTF-8 CSV (optional BOM, up to 50 MiB, streamed): a header line naming the columns, then one learner per record. Needs ?templateId=.' } },
            'application/json': { schema: { $ref: 'https://microcred.eu/schemas/api.batch-json.json#' } },
          },
        },
        response: { 202: { $ref: 'https://microcred.eu/schemas/api.batch.json#' } },
      },
    },
    async (request, reply) => {
      const institution = await ctx.guards.requireInstitution(request, request.params.slug);
      const actor = actorOf(request.principal!);
      const q = request.query;
      const contentType = request.headers['content-type'] ?? '';
      const isCsv = contentType.toLowerCase().startsWith('text/csv');
      const key = request.headers['idempotency-key'];
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw new BadRequestError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1–255 visible ASCII characters.');
      }
      let batch;
      if (isCsv) {
        const charset = declaredCharset(contentType);
        if (charset !== undefined && !READABLE_CHARSETS.has(charset)) {
          throw new AppError('CSV_CHARSET_UNSUPPORTED', `A CSV batch must be UTF-8, not "${charset}"; export it as "CSV UTF-8".`, 415, { charset, accepted: ['utf-8', 'us-ascii'] });
        }
        const options: IssueOptions = { ...(q.mechanism ? { mechanism: q.mechanism } : {}), ...(q.suspension !== undefined ? { suspension: q.suspension } : {}) };
        batch = await service.createCsvBatch(institution, actor, request.body as Readable, { ...(q.templateId ? { templateId: q.templateId } : {}), options, maxBytes: BATCH_BODY_LIMIT, ...(key ? { idempotencyKey: key } : {}) });
      } else {
        if (q.mechanism !== undefined || q.suspension !== undefined) throw new BadRequestError('INVALID_REQUEST', 'A JSON batch carries its options in the body.');
        const validate = request.compileValidationSchema({ $ref: 'https://microcred.eu/schemas/api.batch-json.json#' });
        if (!validate(request.body)) {
          throw new BadRequestError('INVALID_REQUEST', 'The batch body does not match its schema.', { errors: validate.errors ?? [] });
        }
        const body = request.body as { templateId?: string; rows: Record<string, unknown>[]; options?: IssueOptions };
        const templateId = body.templateId ?? q.templateId;
        batch = await service.createJsonBatch(institution, actor, { ...body, ...(templateId ? { templateId } : {}) }, key);
      }
      return reply.status(202).header('location', `/issuers/${institution.slug}/batches/${batch.id}`).send(batch);
    },
  );

  app.get<{ Params: { slug: string; id: string } }>(
    '/issuers/:slug/batches/:id',
    { schema: { ...common, summary: 'Batch progress: total / issued / failed / pending', params: idParams, response: { 200: { $ref: 'https://microcred.eu/schemas/api.batch.json#' } } } },
    async (request) => {
      const institution = await ctx.guards.requireInstitution(request, request.params.slug);
      return service.getBatch(institution, request.params.id);
    },
  );

  app.get<{ Params: { slug: string; id: string }; Querystring: { status?: 'pending' | 'issued' | 'failed'; after?: number; limit?: number } }>(
    '/issuers/:slug/batches/:id/rows',
    {
      schema: {
        ...common, summary: 'Row results: credential id, or row number + code + message (paged by row number)', params: idParams,
        querystring: {
          type: 'object', additionalProperties: false,
          properties: { status: { enum: ['pending', 'issued', 'failed'] }, after: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
        },
      },
    },
    async (request) => {
      const institution = await ctx.guards.requireInstitution(request, request.params.slug);
      const q = request.query;
      return service.batchRows(institution, request.params.id, { ...(q.status ? { status: q.status } : {}), ...(q.after !== undefined ? { after: q.after } : {}), limit: q.limit ?? 100 });
    },
  );
};
