import { appendAudit, type Actor } from '../audit/index.js';
import { UnprocessableError } from '../errors.js';
import type { Db, Queryable } from '../store/types.js';
import { buildAccreditationCredential, storeAccreditationCredential, type VerifyCredentialFn } from './accreditation-credential.js';
import { readAccreditationNode } from './accreditation-node.js';
import { registryInTransaction } from './registry-admin.js';
import type { RegistryRepo } from './registry-repo.js';
import { indexSnapshot } from './snapshot-index.js';
import type { AccreditationRecord } from './types.js';

/** Signs an unsigned credential as the issuing institution; `persist` stores it inside the caller's transaction. */
export type SignAndStoreFn = (credential: Record<string, unknown>) => Promise<{
  record: { id: string; document: Record<string, unknown> };
  persist: (tx: Queryable) => Promise<void>;
}>;

/** What issuing an accreditation credential needs. */
export interface IssueAccreditationDeps {
  db: Db;
  registry: RegistryRepo;
  now: () => Date;
  signAndStore: SignAndStoreFn;
  verifyCredential: VerifyCredentialFn;
}

/** The QA agency issuing, as this service knows it. */
export interface AccreditationIssuer {
  did: string;
  legalName: string;
  institutionId: string;
}

/**
 * A QA agency that is an institution on this service issues a signed accreditation credential: the agent
 * named in the accreditation must be this agency, and the agency must be a trusted QA agency, before anything is signed.
 */
export async function issueAccreditationCredential(
  deps: IssueAccreditationDeps, issuer: AccreditationIssuer, accreditation: unknown, actor: Actor,
): Promise<{ accreditation: AccreditationRecord; credential: Record<string, unknown> }> {
  const node = readAccreditationNode(accreditation, 'accreditation-credential');
  const self = await deps.registry.findOrganisationByDid(issuer.did);
  const agentIsIssuer = node.accreditingAgent.id === issuer.did
    || (self !== null && indexSnapshot({ organisations: [self], accreditations: [] }).matching(node.accreditingAgent).length > 0);
  if (!agentIsIssuer) {
    throw new UnprocessableError('ACCREDITING_AGENT_MISMATCH',
      `Accreditation ${node.id} names ${node.accreditingAgent.legalName ?? node.accreditingAgent.id} as its accrediting agent, not ${issuer.legalName} (${issuer.did}).`,
      { accreditation: node.id, accreditingAgent: node.accreditingAgent.id, issuer: issuer.did });
  }
  // Refuse before signing: a credential no verifier would accept must not exist.
  if (!self || !self.trusted || self.kind !== 'qa-agency' || self.status !== 'active') {
    throw new UnprocessableError('ACCREDITATION_CREDENTIAL_UNTRUSTED',
      `${issuer.legalName} (${issuer.did}) is not a trusted quality-assurance agency in the registry, so it cannot issue accreditation credentials.`,
      { issuer: issuer.did, registryId: self?.id ?? null, kind: self?.kind ?? null, trusted: self?.trusted ?? false });
  }
  const unsigned = buildAccreditationCredential({ accreditation, issuer: { did: issuer.did, legalName: issuer.legalName }, issuanceDate: deps.now() });
  const { record, persist } = await deps.signAndStore(unsigned);
  // Verified outside the transaction: the verifier reads the store, which must not wait on our own open transaction.
  const verdict = await deps.verifyCredential(record.document);
  const stored = await deps.db.transaction(async (tx) => {
    await persist(tx);
    const acc = await storeAccreditationCredential(registryInTransaction(tx, deps.now), record.document, async () => verdict);
    await appendAudit(tx, {
      actor, institutionId: issuer.institutionId, action: 'registry.accreditation.imported', targetType: 'accreditation', targetId: acc.id,
      detail: { credentialId: record.id, organisationId: acc.organisationId, accreditingAgentId: acc.accreditingAgentId, source: 'accreditation-credential' },
      at: deps.now(),
    });
    return acc;
  });
  return { accreditation: stored, credential: record.document };
}
