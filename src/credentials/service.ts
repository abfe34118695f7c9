import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../store/index.js';
import { isUniqueViolation } from '../store/index.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Actor } from '../audit/index.js';
import type { InstitutionRecord, InstitutionService } from '../institutions/index.js';
import { issueCredential, type IssueOptions, type Mechanism } from '../issuing/index.js';
import type { DocumentLoader } from '../jsonld/index.js';
import { createIssueWriter, findCredential, insertCredential, type CredentialRecord, type EntryRef } from './repo.js';
import { withIdempotency, type Persist, type StoredResponse } from './idempotency.js';

/** Body of POST /credentials/issue. */
export interface IssueRequestBody {
  credential: Record<string, unknown>;
  options?: { mechanism?: Mechanism; suspension?: boolean };
}

/** Hooks run inside the issuing transaction (status allocation plugs in here). */
export interface IssueHooks {
  /** Add fields to the prepared credential before signing (e.g. credentialStatus). */
  beforeSign?: (credential: Record<string, unknown>, ctx: { institution: InstitutionRecord; options: IssueRequestBody['options'] }) => Promise<Record<string, unknown>>;
  /** Status entries reserved for the credential as signed (without the proof); its insert links them. */
  entries?: (ctx: { credentialId: string; credential: Record<string, unknown> }) => EntryRef[];
}

/** Issuing, storing and reading credentials. */
export function createCredentialService(deps: {
  db: Db;
  institutions: InstitutionService;
  documentLoader: DocumentLoader;
  now: () => Date;
  newId?: () => string;
  hooks?: IssueHooks;
}) {
  const newId = deps.newId ?? (() => randomUUID());
  // Issuances outside a transaction are written together when they arrive together.
  const writer = createIssueWriter(deps.db);

  /** Prepare, sign and store one credential for an institution. */
  async function signAndStore(
    institution: InstitutionRecord,
    body: IssueRequestBody,
    actor: Actor,
    kind = 'vc',
    /** How the securing steps run (see IssueOptions.secure), e.g. retried while the service is saturated. */
    secure?: IssueOptions['secure'],
  ): Promise<{ record: Omit<CredentialRecord, 'issuedAt'>; documentJson: string; persist: Persist }> {
    const signers = await deps.institutions.signers(institution);
    const now = deps.now();
    const mechanism = body.options?.mechanism ?? 'eddsa-rdfc-2022';
    const beforeSign = deps.hooks?.beforeSign;
    const issued = await issueCredential(body.credential, {
      // Runs on the prepared (validated, id/issuer/date filled) credential, so a malformed
      // request is refused before status indexes are reserved.
      ...(beforeSign ? { enrich: (prepared: Record<string, unknown>) => beforeSign(prepared, { institution, options: body.options }) } : {}),
      ...(secure ? { secure } : {}),
      mechanism,
      signers,
      issuerDid: institution.did,
      documentLoader: deps.documentLoader,
      now: () => now,
      newId,
    });
    const id = String(issued.credential.id);
    const subject = issued.credential.credentialSubject as { id?: unknown } | undefined;
    const record = {
      id,
      institutionId: institution.id,
      mechanism,
      format: issued.format,
      document: issued.verifiableCredential as Record<string, unknown>,
      jwt: issued.jwt ?? null,
      subjectId: typeof subject?.id === 'string' ? subject.id : null,
      kind,
    };
    // Serialised once: for the database here and for the response by callers that send it.
    const documentJson = JSON.stringify(record.document);
    const entries = deps.hooks?.entries?.({ credentialId: id, credential: issued.credential }) ?? [];
    // One statement (credential, audit record, status links): atomic with or without a transaction around it.
    const persist: Persist = Object.assign(async (q: Queryable) => {
      const audit = { actor, institutionId: institution.id, action: 'credential.issued', targetType: 'credential', targetId: id, at: now, detail: { mechanism, kind } };
      try {
        const write = { credential: { ...record, issuedAt: now, documentJson }, audit, entries };
        await (q === deps.db ? writer.insert(write) : insertCredential(q, write.credential, write.audit, write.entries));
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('CREDENTIAL_EXISTS', `A credential with id "${id}" was already issued.`);
        throw err;
      }
    }, { atomic: true as const });
    return { record, documentJson, persist };
  }

  return {
    signAndStore,

    /** POST /credentials/issue: idempotent per institution when a key is given. */
    async issue(args: { institution: InstitutionRecord; body: IssueRequestBody; idempotencyKey?: string; actor: Actor }): Promise<StoredResponse> {
      return withIdempotency(
        deps.db,
        { institutionId: args.institution.id, scope: 'credentials.issue', key: args.idempotencyKey, body: args.body },
        async () => {
          const { record, documentJson, persist } = await signAndStore(args.institution, args.body, args.actor);
          return { persist, response: { statusCode: 201, body: { verifiableCredential: record.document }, json: `{"verifiableCredential":${documentJson}}` } };
        },
      );
    },

    /** Read a credential owned by the institution; others' credentials are reported as not found. */
    async get(id: string, institution: InstitutionRecord): Promise<CredentialRecord> {
      const rec = await findCredential(deps.db, id);
      if (!rec || rec.institutionId !== institution.id) throw new NotFoundError('CREDENTIAL_NOT_FOUND', `No credential "${id}" for this institution.`);
      return rec;
    },
  };
}

/** The credential service's type. */
export type CredentialService = ReturnType<typeof createCredentialService>;
