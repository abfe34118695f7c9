import type { Queryable } from '../store/index.js';
import type { Institution, LegalIdentifiers } from './types.js';

interface InstitutionRow {
  id: string;
  slug: string;
  did: string;
  legal_name: string;
  country: string;
  legal_identifiers: LegalIdentifiers;
  homepage: string | null;
  default_language: string;
  settings: InstitutionSettings;
  status: 'active' | 'disabled';
  created_at: Date | string;
}

/** Per-institution options (e.g. suspension entries by default). */
export interface InstitutionSettings {
  suspensionByDefault?: boolean;
  displayName?: string;
  logoUrl?: string;
}

const COLUMNS = 'id, slug, did, legal_name, country, legal_identifiers, homepage, default_language, settings, status, created_at';

function toInstitution(r: InstitutionRow): Institution & { settings: InstitutionSettings } {
  return {
    id: r.id,
    slug: r.slug,
    did: r.did,
    legalName: r.legal_name,
    country: r.country,
    legalIdentifiers: r.legal_identifiers ?? {},
    ...(r.homepage ? { homepage: r.homepage } : {}),
    defaultLanguage: r.default_language,
    settings: r.settings ?? {},
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Row to insert for a new institution. */
export interface NewInstitutionRow extends Omit<Institution, 'createdAt' | 'status'> {
  apiKeyHash: string;
  settings: InstitutionSettings;
  createdAt: Date;
}

/** Insert an institution; unique violations surface to the caller (slug/did/key hash). */
export async function insertInstitution(q: Queryable, row: NewInstitutionRow): Promise<void> {
  await q.query(
    `INSERT INTO institutions (id, slug, did, legal_name, country, legal_identifiers, homepage, default_language, settings, api_key_hash, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
    [row.id, row.slug, row.did, row.legalName, row.country, JSON.stringify(row.legalIdentifiers), row.homepage ?? null, row.defaultLanguage, JSON.stringify(row.settings), row.apiKeyHash, row.createdAt],
  );
}

/** Find an institution by slug. */
export async function findInstitutionBySlug(q: Queryable, slug: string) {
  const { rows } = await q.query<InstitutionRow>(`SELECT ${COLUMNS} FROM institutions WHERE slug = $1`, [slug]);
  return rows[0] ? toInstitution(rows[0]) : undefined;
}

/** Find an institution by id. */
export async function findInstitutionById(q: Queryable, id: string) {
  const { rows } = await q.query<InstitutionRow>(`SELECT ${COLUMNS} FROM institutions WHERE id = $1`, [id]);
  return rows[0] ? toInstitution(rows[0]) : undefined;
}

/** Find an institution by its DID. */
export async function findInstitutionByDid(q: Queryable, did: string) {
  const { rows } = await q.query<InstitutionRow>(`SELECT ${COLUMNS} FROM institutions WHERE did = $1`, [did]);
  return rows[0] ? toInstitution(rows[0]) : undefined;
}

/** Find the institution owning an API key hash. */
export async function findInstitutionByKeyHash(q: Queryable, hash: string) {
  const { rows } = await q.query<InstitutionRow>(`SELECT ${COLUMNS} FROM institutions WHERE api_key_hash = $1`, [hash]);
  return rows[0] ? toInstitution(rows[0]) : undefined;
}

/** List institutions, oldest first, keyset-paged by slug. */
export async function listInstitutions(q: Queryable, opts: { after?: string; limit: number }) {
  const { rows } = await q.query<InstitutionRow>(
    `SELECT ${COLUMNS} FROM institutions WHERE ($1::text IS NULL OR slug > $1) ORDER BY slug LIMIT $2`,
    [opts.after ?? null, opts.limit],
  );
  return rows.map(toInstitution);
}

/** Set an institution's status; returns false when it does not exist. */
export async function setInstitutionStatus(q: Queryable, id: string, status: 'active' | 'disabled', at: Date): Promise<boolean> {
  const res = await q.query('UPDATE institutions SET status = $2, updated_at = $3 WHERE id = $1', [id, status, at]);
  return res.rowCount > 0;
}
