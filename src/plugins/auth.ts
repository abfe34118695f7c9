import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Institution } from '../institutions/types.js';
import type { InstitutionSettings } from '../institutions/repo.js';
import type { Actor } from '../audit/index.js';

/** Who is calling. */
export type Principal =
  | { kind: 'admin' }
  | { kind: 'institution'; institution: Institution & { settings: InstitutionSettings } };

declare module 'fastify' {
  interface FastifyRequest {
    /** Resolved lazily by requireAdmin / requireInstitution. */
    principal?: Principal;
  }
}

/** SHA-256 hex of a token, the only form in which API keys are stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function bearer(request: FastifyRequest): string {
  const h = request.headers.authorization;
  if (!h) throw new UnauthorizedError('UNAUTHORIZED', 'Authorization: Bearer <token> is required.');
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,512})$/.exec(h);
  if (!m) throw new UnauthorizedError('INVALID_TOKEN', 'The Authorization header must be "Bearer <token>".');
  return m[1]!;
}

/** Request guards bound to the admin token and the store. */
export interface AuthGuards {
  requireAdmin(request: FastifyRequest): Promise<void>;
  /** Require an institution token; with slug, it must be that institution's (admin passes too when allowAdmin). */
  requireInstitution(request: FastifyRequest, slug?: string): Promise<Institution & { settings: InstitutionSettings }>;
  /** Admin or the institution named by slug. */
  requireAdminOrInstitution(request: FastifyRequest, slug: string): Promise<Principal>;
}

/** Create the guards; tokens are compared by hash in constant time. */
export function createAuthGuards(opts: { adminToken: string; findInstitutionByKeyHash: (hash: string) => Promise<(Institution & { settings: InstitutionSettings }) | undefined> }): AuthGuards {
  const adminHash = Buffer.from(hashToken(opts.adminToken), 'hex');
  const isAdmin = (token: string) => timingSafeEqual(Buffer.from(hashToken(token), 'hex'), adminHash);

  async function resolve(request: FastifyRequest): Promise<Principal> {
    if (request.principal) return request.principal;
    const token = bearer(request);
    if (isAdmin(token)) {
      request.principal = { kind: 'admin' };
      return request.principal;
    }
    const institution = await opts.findInstitutionByKeyHash(hashToken(token));
    if (!institution) throw new UnauthorizedError('INVALID_TOKEN', 'The bearer token is not valid.');
    if (institution.status !== 'active') throw new ForbiddenError('INSTITUTION_DISABLED', `Institution "${institution.slug}" is disabled.`);
    request.principal = { kind: 'institution', institution };
    return request.principal;
  }

  return {
    async requireAdmin(request) {
      const p = await resolve(request);
      if (p.kind !== 'admin') throw new ForbiddenError('ADMIN_REQUIRED', 'This operation needs the admin token.');
    },
    async requireInstitution(request, slug) {
      const p = await resolve(request);
      if (p.kind !== 'institution') throw new ForbiddenError('INSTITUTION_TOKEN_REQUIRED', 'This operation needs an institution API key.');
      if (slug !== undefined && p.institution.slug !== slug) {
        throw new ForbiddenError('FORBIDDEN', 'This API key belongs to another institution.');
      }
      return p.institution;
    },
    async requireAdminOrInstitution(request, slug) {
      const p = await resolve(request);
      if (p.kind === 'institution' && p.institution.slug !== slug) {
        throw new ForbiddenError('FORBIDDEN', 'This API key belongs to another institution.');
      }
      return p;
    },
  };
}

/** The audit actor for a principal. */
export function actorOf(p: Principal): Actor {
  return p.kind === 'admin' ? { kind: 'admin', id: 'admin' } : { kind: 'institution', id: p.institution.id };
}
