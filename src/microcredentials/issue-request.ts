/** One micro-credential from a request (optionally over a template): validate, check Annex I, build, sign. */
import { annexIReport, assertAnnexIComplete, buildMicroCredential, summarize, validateMicroCredentialRequest } from '../elm/index.js';
import type { AnnexIReport, CredentialSummary, MicroCredentialRequest } from '../elm/index.js';
import type { Actor } from '../audit/index.js';
import type { CredentialService, Persist } from '../credentials/index.js';
import type { InstitutionRecord } from '../institutions/index.js';
import type { Mechanism } from '../issuing/index.js';
import type { DocumentLoader } from '../jsonld/index.js';
import type { RegistryRepo } from '../trust/index.js';
import { BadRequestError, UnprocessableError } from '../errors.js';
import { foldShortcuts, mergeOverTemplate } from './merge.js';
import { assertPlausibleDates, type IssuingClock } from './request-dates.js';

/** How to secure a micro-credential. */
export interface IssueOptions { mechanism?: Mechanism; suspension?: boolean }

/** What issuing a micro-credential needs from the rest of the service. */
export interface IssueDeps {
  registry: Pick<RegistryRepo, 'getAccreditation'>;
  credentials: Pick<CredentialService, 'signAndStore'>;
  documentLoader: DocumentLoader;
  now: () => Date;
  newId: () => string;
}

/** The API answer for one issued micro-credential. */
export interface IssuedMicroCredential {
  id: string;
  verifiableCredential: Record<string, unknown>;
  annexI: AnnexIReport;
  summary: CredentialSummary;
}

/** Validates request fields (merged over a template spec when given), their dates against the issuing clock, and Annex I completeness. */
export function resolveRequest(fields: Record<string, unknown>, templateSpec: Record<string, unknown> | undefined, clock: IssuingClock): MicroCredentialRequest {
  const merged = templateSpec ? mergeOverTemplate(templateSpec, fields) : foldShortcuts(fields);
  const request = validateMicroCredentialRequest(merged);
  assertPlausibleDates(request, clock);
  assertAnnexIComplete(request);
  return request;
}

/** Refuses securing mechanisms that cannot carry an ELM (VC 1.1) credential, before any status index is reserved. */
export function assertMechanism(options: IssueOptions | undefined): void {
  if (options?.mechanism === 'vc+jwt') {
    throw new BadRequestError('JOSE_REQUIRES_VC2', 'European micro-credentials are VC Data Model 1.1 (edc-ap); vc+jwt secures VC 2.0 only. Use a Data Integrity suite.');
  }
}

/** Builds the unsigned credential, looking the accreditation up in the trust registry. */
export async function buildFromRequest(deps: IssueDeps, institution: InstitutionRecord, request: MicroCredentialRequest): Promise<Record<string, unknown>> {
  const accreditationId = request.qualityAssurance?.accreditationId;
  let accreditation: Record<string, unknown> | undefined;
  if (accreditationId) {
    const record = await deps.registry.getAccreditation(accreditationId);
    if (!record) throw new UnprocessableError('ACCREDITATION_NOT_FOUND', `No accreditation "${accreditationId}" in the trust registry.`, { accreditationId });
    accreditation = record.node;
  }
  return buildMicroCredential(request, {
    institution, now: deps.now(), newId: deps.newId, documentLoader: deps.documentLoader, ...(accreditation ? { accreditation } : {}),
  });
}

/** Signs a built credential; the caller runs `persist` in its own transaction. */
export async function signMicroCredential(
  deps: IssueDeps, institution: InstitutionRecord, credential: Record<string, unknown>, options: IssueOptions | undefined, actor: Actor,
  secure?: <T>(step: () => Promise<T>) => Promise<T>,
): Promise<{ issued: IssuedMicroCredential; persist: Persist }> {
  assertMechanism(options);
  const { record, persist } = await deps.credentials.signAndStore(
    institution, { credential, options: { mechanism: options?.mechanism ?? 'eddsa-rdfc-2022', ...(options?.suspension !== undefined ? { suspension: options.suspension } : {}) } },
    actor, 'micro-credential', secure,
  );
  return { issued: presentIssued(record.id, record.document), persist };
}

/** The API shape of an issued micro-credential: id, credential, Annex I report and summary. */
export function presentIssued(id: string, document: Record<string, unknown>): IssuedMicroCredential {
  return { id, verifiableCredential: document, annexI: annexIReport(document), summary: summarize(document) };
}
