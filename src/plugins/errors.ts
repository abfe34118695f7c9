import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { AppError, BadRequestError } from '../errors.js';
import { isNulInText } from '../store/index.js';

/** An RFC 9457 problem document with our stable code. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  details?: Record<string, unknown>;
}

/** Build the problem document for an error code. */
export function problem(status: number, code: string, detail: string, details?: Record<string, unknown>): Problem {
  return {
    type: `urn:microcred:error:${code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(details ? { details } : {}),
  };
}

/** Send a problem as application/problem+json. */
export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.status(p.status).type('application/problem+json; charset=utf-8').send(p);
}

/** Longest path segment the router matches (percent-encoded): ids of up to 2,000 characters, encoded. */
export const MAX_PARAM_LENGTH = 8192;

// Fastify's own client errors, mapped to our codes so clients never see framework internals.
const FASTIFY_CODES: Record<string, { status: number; code: string; detail?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'The request body is larger than the service accepts.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Unsupported Content-Type.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', detail: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_CONTENT_LENGTH', detail: 'Content-Length does not match the body.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', detail: 'The body is not valid JSON.' },
  FST_ERR_BAD_URL: { status: 400, code: 'MALFORMED_URL', detail: 'The request URL is malformed.' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'MALFORMED_URL', detail: 'The request URL is malformed.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'URI_TOO_LONG', detail: `A path segment of the request URL is longer than ${MAX_PARAM_LENGTH} characters.` },
};

// No route, hence no hook, sees a request Fastify refuses before routing: who wants to know
// (the request counters) registers here, per app.
const rejectedListeners = new WeakMap<object, Array<(request: FastifyRequest, reply: FastifyReply) => void>>();

/** Call `fn` with each request `app` refuses before routing, once its problem is sent. */
export function onRejectedBeforeRouting(app: FastifyInstance, fn: (request: FastifyRequest, reply: FastifyReply) => void): void {
  const list = rejectedListeners.get(app) ?? [];
  list.push(fn);
  rejectedListeners.set(app, list);
}

/** Answer an error Fastify raised before routing (undecodable URL, overlong segment…) as a problem. */
export function frameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const mapped = FASTIFY_CODES[err.code];
  if (!mapped) request.log.error({ err }, 'framework error');
  void sendProblem(reply, mapped ? problem(mapped.status, mapped.code, mapped.detail ?? err.message) : problem(500, 'INTERNAL_ERROR', 'The service could not complete this request.'));
  for (const fn of rejectedListeners.get(request.server) ?? []) fn(request, reply);
}

/**
 * Checks every request gets before its handler, for what schemas cannot say: a NUL character in
 * the URL (no identifier has one, and the store cannot hold it), and a number in the query or
 * path that is not finite (Ajv coerces "1e999" to Infinity and then skips minimum/maximum).
 */
function installRequestGuards(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.url.includes('%00')) throw new BadRequestError('MALFORMED_URL', 'The request URL contains an encoded NUL character (%00).');
  });
  app.addHook('preHandler', async (request) => {
    for (const [part, values] of [['querystring', request.query], ['params', request.params]] as const) {
      if (typeof values !== 'object' || values === null) continue;
      for (const [name, value] of Object.entries(values)) {
        const list: unknown[] = Array.isArray(value) ? value : [value];
        if (list.some((v) => typeof v === 'number' && !Number.isFinite(v))) {
          throw new BadRequestError('INVALID_REQUEST', `The request ${part} is invalid: ${name} must be a finite number.`, { errors: [{ path: `${part}/${name}`, message: 'must be a finite number' }] });
        }
      }
    }
  });
}

/** Install the error and not-found handlers: everything leaves as problem+json, 5xx without internals. */
export function installErrorHandlers(app: FastifyInstance): void {
  installRequestGuards(app);
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      // Errors that expect a retry (the service is saturated) say when.
      const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
      if (err.status >= 500) request.log[typeof retryAfter === 'number' ? 'warn' : 'error']({ err }, 'request failed');
      const detail = err.status >= 500 ? 'The service could not complete this request.' : err.message;
      return sendProblem(reply, problem(err.status, err.code, detail, err.status >= 500 ? undefined : err.detail));
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const errors = fe.validation.map((v) => ({
        path: `${fe.validationContext ?? 'body'}${v.instancePath || ''}`,
        message: v.message ?? 'invalid',
        ...(v.params && Object.keys(v.params).length ? { params: v.params } : {}),
      }));
      return sendProblem(reply, problem(400, 'INVALID_REQUEST', `The request ${fe.validationContext ?? 'body'} is invalid: ${errors[0]?.path} ${errors[0]?.message}.`, { errors }));
    }
    const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
    if (mapped) return sendProblem(reply, problem(mapped.status, mapped.code, mapped.detail ?? fe.message));
    if (fe.statusCode === 429) return sendProblem(reply, problem(429, 'RATE_LIMITED', 'Too many requests; retry later.'));
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendProblem(reply, problem(fe.statusCode, 'BAD_REQUEST', fe.message));
    }
    if (isNulInText(err)) {
      return sendProblem(reply, problem(400, 'INVALID_TEXT', 'Text in the request contains a NUL character (U+0000), which cannot be stored.'));
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, problem(500, 'INTERNAL_ERROR', 'The service could not complete this request.'));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
