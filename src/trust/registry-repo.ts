import { randomUUID as nodeRandomUUID } from 'node:crypto';
import type { Db, Queryable } from '../store/types.js';
import { readAccreditationNode } from './accreditation-node.js';
import { alpha2Of } from './country-codes.js';
import { legalIdKeys } from './elm-read.js';
import { accreditationFromRow, organisationFromRow, type AccreditationRow, type OrganisationRow } from './registry-rows.js';
import { OrganisationIdentifierError } from './trust-errors.js';
import type { AccreditationRecord, LegalIdentifiers, OrganisationInput, OrganisationKind, OrganisationRecord, OrganisationRef, TrustSource } from './types.js';

// Serialises organisation merges so two concurrent imports of one organisation cannot insert it twice.
const ORG_MERGE_LOCK = 720_431_003;
const AUTHORITATIVE: ReadonlySet<TrustSource> = new Set(['trust-list', 'admin']);

/** Dependencies of the registry repository; time and ids are injected for tests. */
export interface RegistryRepoDeps {
  db: Db;
  now?: () => Date;
  randomUUID?: () => string;
}

/** Options when storing an accreditation. */
export interface UpsertAccreditationOptions {
  source: TrustSource;
  /** Signed accreditation credential to keep with the record. */
  credential?: { document: Record<string, unknown>; issuer: string };
}

/** Identifiers to look organisations up by, all optional. */
export interface OrganisationLookup {
  ids?: string[];
  dids?: string[];
  uris?: string[];
  legalIdentifiers?: LegalIdentifiers[];
}

/** The registry's storage operations. */
export interface RegistryRepo {
  /** Insert an organisation or merge it into the entry sharing a DID, URI or legal identifier. */
  upsertOrganisation(input: OrganisationInput): Promise<OrganisationRecord>;
  getOrganisation(id: string): Promise<OrganisationRecord | null>;
  findOrganisationByDid(did: string): Promise<OrganisationRecord | null>;
  findOrganisationByUri(uri: string): Promise<OrganisationRecord | null>;
  findOrganisationByLegalIdentifier(kind: string, value: string): Promise<OrganisationRecord | null>;
  /** Every organisation matching any of the identifiers. */
  findOrganisations(lookup: OrganisationLookup): Promise<OrganisationRecord[]>;
  /** Make an organisation a trust anchor (or stop it being one); `kind` re-classifies it at the same time. */
  setTrust(id: string, trusted: boolean, source: 'trust-list' | 'admin', kind?: OrganisationKind): Promise<OrganisationRecord>;
  setStatus(id: string, status: 'active' | 'disabled'): Promise<OrganisationRecord>;
  listTrustedAgencies(): Promise<OrganisationRecord[]>;
  /** Withdraw trust-list trust from every anchor not in keepIds (a new trust list replaces the old). */
  withdrawTrustListAnchorsExcept(keepIds: string[]): Promise<number>;
  /** Store an ELM Accreditation node (QDR-framed or plain), linking its organisation and agent. */
  upsertAccreditation(node: unknown, opts: UpsertAccreditationOptions): Promise<AccreditationRecord>;
  getAccreditation(id: string): Promise<AccreditationRecord | null>;
  getAccreditations(ids: string[]): Promise<AccreditationRecord[]>;
  listAccreditationsOfOrganisation(organisationId: string): Promise<AccreditationRecord[]>;
  /** Run several operations in one transaction. */
  transaction<T>(fn: (repo: RegistryRepo) => Promise<T>): Promise<T>;
}

const ORG_COLUMNS = 'id, kind, legal_name, country, dids, uris, legal_identifiers, legal_id_keys, status, trusted, trust_source, source, created_at, updated_at';
const ACC_COLUMNS = 'id, organisation_id, accrediting_agent_id, accreditation_type, date_issued, expiry_date, review_date, node, source, credential, credential_issuer';

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

function cleanIds(ids: LegalIdentifiers | undefined): LegalIdentifiers {
  const out: LegalIdentifiers = {};
  for (const [k, v] of Object.entries(ids ?? {})) if (typeof v === 'string' && v.trim()) out[k] = v.trim();
  return out;
}

/** Create the trust registry repository over the store. */
export function createRegistryRepo(deps: RegistryRepoDeps): RegistryRepo {
  const now = deps.now ?? (() => new Date());
  const uuid = deps.randomUUID ?? nodeRandomUUID;
  return bind(deps.db, null);

  function bind(q: Queryable, tx: Queryable | null): RegistryRepo {
    // Writes need a transaction (advisory lock + several statements); reuse the caller's if any.
    const write = <T>(fn: (t: Queryable) => Promise<T>): Promise<T> => (tx ? fn(tx) : deps.db.transaction(fn));

    const orgs = async (sql: string, params: unknown[]): Promise<OrganisationRecord[]> =>
      (await q.query<OrganisationRow>(sql, params)).rows.map(organisationFromRow);
    const one = async (sql: string, params: unknown[]): Promise<OrganisationRecord | null> => (await orgs(sql, params))[0] ?? null;
    const accs = async (sql: string, params: unknown[]): Promise<AccreditationRecord[]> =>
      (await q.query<AccreditationRow>(sql, params)).rows.map(accreditationFromRow);

    async function upsertOrg(t: Queryable, input: OrganisationInput): Promise<OrganisationRecord> {
      const dids = [...new Set(input.dids ?? [])];
      const uris = [...new Set(input.uris ?? [])];
      const legal = cleanIds(input.legalIdentifiers);
      const keys = legalIdKeys(legal);
      if (dids.length + uris.length + keys.length === 0) {
        throw new OrganisationIdentifierError(`Organisation "${input.legalName}" has no DID, URI or legal identifier.`, { legalName: input.legalName });
      }
      const country = input.country ? (alpha2Of(input.country.toUpperCase()) ?? input.country.toUpperCase()) : null;
      const at = now();
      await t.query('SELECT pg_advisory_xact_lock($1)', [ORG_MERGE_LOCK]);
      // A legal identifier is only unique within its country: it merges two entries unless both state different countries.
      const found = await t.query<OrganisationRow>(
        `SELECT ${ORG_COLUMNS} FROM trust_organisations
          WHERE dids && $1::text[] OR uris && $2::text[] OR (legal_id_keys && $3::text[] AND ($4::text IS NULL OR country IS NULL OR country = $4))
          ORDER BY created_at, id LIMIT 1 FOR UPDATE`,
        [dids, uris, keys, country],
      );
      const existing = found.rows[0];
      if (!existing) {
        const res = await t.query<OrganisationRow>(
          `INSERT INTO trust_organisations (id, kind, legal_name, country, dids, uris, legal_identifiers, legal_id_keys, status, trusted, trust_source, source, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING ${ORG_COLUMNS}`,
          [uuid(), input.kind, input.legalName, country, dids, uris, JSON.stringify(legal), keys, input.status ?? 'active',
            input.trust?.trusted ?? false, input.trust?.trusted ? input.trust.source : null, input.source, at],
        );
        return organisationFromRow(res.rows[0]!);
      }
      // Authoritative sources (trust list, admin) overwrite descriptive fields; imports only fill gaps.
      const authoritative = AUTHORITATIVE.has(input.source);
      const mergedLegal: LegalIdentifiers = authoritative ? { ...existing.legal_identifiers, ...legal } : { ...legal, ...existing.legal_identifiers };
      const trusted = input.trust ? input.trust.trusted : existing.trusted;
      const trustSource = input.trust ? (input.trust.trusted ? input.trust.source : null) : existing.trust_source;
      const res = await t.query<OrganisationRow>(
        `UPDATE trust_organisations SET kind = $2, legal_name = $3, country = $4, dids = $5, uris = $6, legal_identifiers = $7,
           legal_id_keys = $8, status = $9, trusted = $10, trust_source = $11, source = $12, updated_at = $13
         WHERE id = $1 RETURNING ${ORG_COLUMNS}`,
        [existing.id,
          // An institution record never demotes a QA agency: an agency may itself issue on this service.
          authoritative && !(existing.kind === 'qa-agency' && input.kind === 'institution') ? input.kind : existing.kind,
          authoritative ? input.legalName : existing.legal_name,
          authoritative ? (country ?? existing.country) : (existing.country ?? country),
          union(existing.dids, dids), union(existing.uris, uris), JSON.stringify(mergedLegal), legalIdKeys(mergedLegal),
          authoritative && input.status ? input.status : existing.status,
          trusted, trustSource,
          authoritative ? input.source : existing.source, at],
      );
      return organisationFromRow(res.rows[0]!);
    }

    async function orgFromRef(t: Queryable, ref: OrganisationRef, kind: 'institution' | 'qa-agency', source: TrustSource): Promise<OrganisationRecord | null> {
      const uris = ref.id && !ref.id.startsWith('did:') ? [ref.id] : [];
      const dids = ref.id?.startsWith('did:') ? [ref.id] : [];
      if (uris.length + dids.length + legalIdKeys(ref.legalIdentifiers).length === 0) return null;
      const country = ref.places.map(alpha2Of).find((c) => c !== null) ?? null;
      return upsertOrg(t, { kind, legalName: ref.legalName ?? ref.id ?? 'unnamed organisation', country, dids, uris, legalIdentifiers: ref.legalIdentifiers, source });
    }

    const repo: RegistryRepo = {
      upsertOrganisation: (input) => write((t) => upsertOrg(t, input)),
      getOrganisation: (id) => one(`SELECT ${ORG_COLUMNS} FROM trust_organisations WHERE id = $1`, [id]),
      findOrganisationByDid: (did) => one(`SELECT ${ORG_COLUMNS} FROM trust_organisations WHERE dids @> ARRAY[$1]::text[] ORDER BY created_at LIMIT 1`, [did]),
      findOrganisationByUri: (uri) => one(`SELECT ${ORG_COLUMNS} FROM trust_organisations WHERE uris @> ARRAY[$1]::text[] ORDER BY created_at LIMIT 1`, [uri]),
      findOrganisationByLegalIdentifier: (kind, value) => {
        const key = legalIdKeys({ [kind]: value })[0] ?? '';
        return one(`SELECT ${ORG_COLUMNS} FROM trust_organisations WHERE legal_id_keys @> ARRAY[$1]::text[] ORDER BY created_at LIMIT 1`, [key]);
      },
      findOrganisations: (lookup) => {
        const ids = (lookup.ids ?? []).filter((i) => /^[0-9a-f-]{36}$/i.test(i));
        const keys = (lookup.legalIdentifiers ?? []).flatMap(legalIdKeys);
        return orgs(
          `SELECT ${ORG_COLUMNS} FROM trust_organisations WHERE id = ANY($1::uuid[]) OR dids && $2::text[] OR uris && $3::text[] OR legal_id_keys && $4::text[] ORDER BY created_at, id`,
          [ids, lookup.dids ?? [], lookup.uris ?? [], keys],
        );
      },
      setTrust: (id, trusted, source, kind) =>
        write(async (t) => {
          const res = await t.query<OrganisationRow>(
            `UPDATE trust_organisations SET trusted = $2, trust_source = $3, updated_at = $4, kind = COALESCE($5, kind) WHERE id = $1 RETURNING ${ORG_COLUMNS}`,
            [id, trusted, trusted ? source : null, now(), kind ?? null],
          );
          if (!res.rows[0]) throw new OrganisationIdentifierError(`No organisation ${id} in the registry.`, { id });
          return organisationFromRow(res.rows[0]);
        }),
      setStatus: (id, status) =>
        write(async (t) => {
          const res = await t.query<OrganisationRow>(`UPDATE trust_organisations SET status = $2, updated_at = $3 WHERE id = $1 RETURNING ${ORG_COLUMNS}`, [id, status, now()]);
          if (!res.rows[0]) throw new OrganisationIdentifierError(`No organisation ${id} in the registry.`, { id });
          return organisationFromRow(res.rows[0]);
        }),
      listTrustedAgencies: () => orgs(`SELECT ${ORG_COLUMNS} FROM trust_organisations WHERE trusted AND kind = 'qa-agency' ORDER BY legal_name`, []),
      withdrawTrustListAnchorsExcept: (keepIds) =>
        write(async (t) => {
          const res = await t.query(
            `UPDATE trust_organisations SET trusted = false, trust_source = NULL, updated_at = $2 WHERE trust_source = 'trust-list' AND NOT (id = ANY($1::uuid[]))`,
            [keepIds, now()],
          );
          return res.rowCount;
        }),
      upsertAccreditation: (node, opts) =>
        write(async (t) => {
          const rec = readAccreditationNode(node, opts.source);
          const org = await orgFromRef(t, rec.organisation, 'institution', opts.source);
          const agent = await orgFromRef(t, rec.accreditingAgent, 'qa-agency', opts.source);
          const l = rec.limits;
          const res = await t.query<AccreditationRow>(
            `INSERT INTO trust_accreditations (id, organisation_id, accrediting_agent_id, organisation_uri, accrediting_agent_uri, accreditation_type,
               date_issued, expiry_date, review_date, limit_qualifications, limit_eqf_levels, limit_fields, limit_jurisdictions, limit_credential_types,
               node, source, credential, credential_issuer, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)
             ON CONFLICT (id) DO UPDATE SET organisation_id = EXCLUDED.organisation_id, accrediting_agent_id = EXCLUDED.accrediting_agent_id,
               organisation_uri = EXCLUDED.organisation_uri, accrediting_agent_uri = EXCLUDED.accrediting_agent_uri,
               accreditation_type = EXCLUDED.accreditation_type, date_issued = EXCLUDED.date_issued, expiry_date = EXCLUDED.expiry_date,
               review_date = EXCLUDED.review_date, limit_qualifications = EXCLUDED.limit_qualifications, limit_eqf_levels = EXCLUDED.limit_eqf_levels,
               limit_fields = EXCLUDED.limit_fields, limit_jurisdictions = EXCLUDED.limit_jurisdictions,
               limit_credential_types = EXCLUDED.limit_credential_types, node = EXCLUDED.node, source = EXCLUDED.source,
               credential = COALESCE(EXCLUDED.credential, trust_accreditations.credential),
               credential_issuer = COALESCE(EXCLUDED.credential_issuer, trust_accreditations.credential_issuer),
               updated_at = EXCLUDED.updated_at
             RETURNING ${ACC_COLUMNS}`,
            [rec.id, org?.id ?? null, agent?.id ?? null, rec.organisation.id, rec.accreditingAgent.id, rec.type,
              rec.dateIssued, rec.expiryDate, rec.reviewDate,
              l.qualifications.map((x) => x.id).filter((x): x is string => x !== null), l.eqfLevels, l.fields, l.jurisdictions, l.credentialTypes,
              JSON.stringify(rec.node), opts.source,
              opts.credential ? JSON.stringify(opts.credential.document) : null, opts.credential?.issuer ?? null, now()],
          );
          return accreditationFromRow(res.rows[0]!);
        }),
      getAccreditation: async (id) => (await accs(`SELECT ${ACC_COLUMNS} FROM trust_accreditations WHERE id = $1`, [id]))[0] ?? null,
      getAccreditations: (ids) => accs(`SELECT ${ACC_COLUMNS} FROM trust_accreditations WHERE id = ANY($1::text[]) ORDER BY id`, [ids]),
      listAccreditationsOfOrganisation: (organisationId) =>
        accs(`SELECT ${ACC_COLUMNS} FROM trust_accreditations WHERE organisation_id = $1 ORDER BY date_issued DESC NULLS LAST, id`, [organisationId]),
      transaction: (fn) => (tx ? fn(repo) : deps.db.transaction((t) => fn(bind(t, t)))),
    };
    return repo;
  }
}
