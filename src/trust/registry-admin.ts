import { appendAudit, type Actor } from '../audit/index.js';
import { NotFoundError } from '../errors.js';
import type { Db, Queryable } from '../store/types.js';
import { NO_CHANGE_FEED } from '../store/changes.js';
import { readAccreditationNode } from './accreditation-node.js';
import { createRegistryRepo, type RegistryRepo } from './registry-repo.js';
import type { AccreditationRecord, OrganisationInput, OrganisationRecord } from './types.js';

/** What an administrator sends to create or update an organisation: the upsert input, with trust as a flag. */
export type AdminOrganisationInput = Omit<OrganisationInput, 'trust' | 'source'> & {
  /** Set trust at the same time (trust anchors are QA agencies). */
  trusted?: boolean;
};

/** A registry lookup by id found nothing (404). */
export class RegistryNotFoundError extends NotFoundError {
  constructor(code: 'REGISTRY_ORGANISATION_NOT_FOUND' | 'REGISTRY_ACCREDITATION_NOT_FOUND', message: string) {
    super(code, message);
  }
}

/** A registry repository bound to an open transaction, so registry writes and audit records commit together. */
export function registryInTransaction(tx: Queryable, now: () => Date): RegistryRepo {
  const db: Db = {
    kind: 'postgres',
    changes: NO_CHANGE_FEED,
    query: (sql, params, opts) => tx.query(sql, params, opts),
    // Already inside the caller's transaction: nested "transactions" join it.
    transaction: (fn) => fn(tx),
    ping: async () => undefined,
    close: async () => undefined,
  };
  return createRegistryRepo({ db, now });
}

/** Audited registry administration: every change and its audit record commit in one transaction. */
export function createRegistryAdmin(deps: { db: Db; now: () => Date }) {
  const inTx = <T>(fn: (repo: RegistryRepo, tx: Queryable) => Promise<T>): Promise<T> =>
    deps.db.transaction((tx) => fn(registryInTransaction(tx, deps.now), tx));

  const audit = (tx: Queryable, actor: Actor, action: string, targetType: string, targetId: string, detail: Record<string, unknown>) =>
    appendAudit(tx, { actor, institutionId: actor.kind === 'institution' ? actor.id : null, action, targetType, targetId, detail, at: deps.now() });

  const mustExist = async (repo: RegistryRepo, id: string): Promise<OrganisationRecord> => {
    const org = await repo.getOrganisation(id);
    if (!org) throw new RegistryNotFoundError('REGISTRY_ORGANISATION_NOT_FOUND', `No organisation ${id} in the trust registry.`);
    return org;
  };

  return {
    /** Create an organisation, or merge into the one sharing a DID, URI or legal identifier; `created` says which. */
    upsertOrganisation: (input: AdminOrganisationInput, actor: Actor): Promise<{ organisation: OrganisationRecord; created: boolean }> =>
      inTx(async (repo, tx) => {
        const before = await repo.findOrganisations({ dids: input.dids ?? [], uris: input.uris ?? [], legalIdentifiers: [input.legalIdentifiers ?? {}] });
        const organisation = await repo.upsertOrganisation({
          kind: input.kind,
          legalName: input.legalName,
          country: input.country ?? null,
          dids: input.dids ?? [],
          uris: input.uris ?? [],
          legalIdentifiers: input.legalIdentifiers ?? {},
          ...(input.status ? { status: input.status } : {}),
          ...(input.trusted !== undefined ? { trust: { trusted: input.trusted, source: 'admin' as const } } : {}),
          source: 'admin',
        });
        const created = before.length === 0;
        await audit(tx, actor, 'registry.organisation.upserted', 'organisation', organisation.id, {
          created, kind: organisation.kind, legalName: organisation.legalName, trusted: organisation.trusted,
        });
        return { organisation, created };
      }),

    /** Disable or re-enable an organisation. */
    setStatus: (id: string, status: 'active' | 'disabled', actor: Actor): Promise<OrganisationRecord> =>
      inTx(async (repo, tx) => {
        const before = await mustExist(repo, id);
        const organisation = await repo.setStatus(id, status);
        await audit(tx, actor, 'registry.organisation.upserted', 'organisation', id, { status, previousStatus: before.status });
        return organisation;
      }),

    /** Make an organisation a trust anchor or withdraw it; trusting makes it a QA agency, since only agencies anchor trust. */
    setTrust: (id: string, trusted: boolean, actor: Actor): Promise<OrganisationRecord> =>
      inTx(async (repo, tx) => {
        const before = await mustExist(repo, id);
        const organisation = await repo.setTrust(id, trusted, 'admin', trusted ? 'qa-agency' : undefined);
        await audit(tx, actor, 'registry.trust.changed', 'organisation', id, {
          trusted, previouslyTrusted: before.trusted, previousSource: before.trustSource, kind: organisation.kind, previousKind: before.kind,
        });
        return organisation;
      }),

    /** Import an accreditation (QDR-framed JSON or a plain ELM Accreditation node); never grants trust. */
    importAccreditation: (json: unknown, actor: Actor): Promise<{ accreditation: AccreditationRecord; created: boolean }> => {
      // Validate before opening a transaction; both shapes are stored as register imports (they only fill gaps).
      const rec = readAccreditationNode(json, 'qdr');
      return inTx(async (repo, tx) => {
        const created = (await repo.getAccreditation(rec.id)) === null;
        const accreditation = await repo.upsertAccreditation(json, { source: 'qdr' });
        await audit(tx, actor, 'registry.accreditation.imported', 'accreditation', accreditation.id, {
          created, organisationId: accreditation.organisationId, accreditingAgentId: accreditation.accreditingAgentId,
        });
        return { accreditation, created };
      });
    },
  };
}

/** The registry administration's type. */
export type RegistryAdmin = ReturnType<typeof createRegistryAdmin>;
