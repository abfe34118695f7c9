/** Storage of micro-credential templates (course specifications), scoped by institution. */
import type { Queryable } from '../store/index.js';
import { ConflictError } from '../errors.js';
import { templateNotFound } from './errors.js';

/** A stored template. */
export interface TemplateRecord {
  id: string;
  institutionId: string;
  name: string;
  /** The request fields shared by every learner of the course. */
  spec: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string; institution_id: string; name: string; spec: Record<string, unknown>; version: number; created_at: Date | string; updated_at: Date | string;
}

const COLUMNS = 'id, institution_id, name, spec, version, created_at, updated_at';
const iso = (d: Date | string): string => new Date(d).toISOString();
const toRecord = (r: Row): TemplateRecord => ({
  id: r.id, institutionId: r.institution_id, name: r.name, spec: r.spec, version: r.version, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
});
// Ids are uuid columns: anything else can only be "not found", never a database error.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Inserts a template. */
export async function insertTemplate(q: Queryable, t: { id: string; institutionId: string; name: string; spec: Record<string, unknown>; at: Date }): Promise<TemplateRecord> {
  const { rows } = await q.query<Row>(
    `INSERT INTO mc_templates (id, institution_id, name, spec, version, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING ${COLUMNS}`,
    [t.id, t.institutionId, t.name, JSON.stringify(t.spec), t.at],
  );
  return toRecord(rows[0]!);
}

/** Reads a template of the institution; others' templates are not found. */
export async function getTemplate(q: Queryable, institutionId: string, id: string): Promise<TemplateRecord> {
  if (!UUID.test(id)) throw templateNotFound(id);
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM mc_templates WHERE id = $1 AND institution_id = $2`, [id, institutionId]);
  if (!rows[0]) throw templateNotFound(id);
  return toRecord(rows[0]);
}

/** Lists an institution's templates oldest first, keyset-paged by id within creation time. */
export async function listTemplates(q: Queryable, institutionId: string, page: { after?: string; limit: number }): Promise<TemplateRecord[]> {
  const after = page.after && UUID.test(page.after) ? page.after : null;
  const { rows } = await q.query<Row>(
    `SELECT ${COLUMNS} FROM mc_templates WHERE institution_id = $1
       AND ($2::uuid IS NULL OR (created_at, id) > (SELECT created_at, id FROM mc_templates WHERE id = $2::uuid))
     ORDER BY created_at, id LIMIT $3`,
    [institutionId, after, page.limit],
  );
  return rows.map(toRecord);
}

/** Replaces a template's name and spec; with expectedVersion, refuses a concurrent edit (409). */
export async function updateTemplate(
  q: Queryable, institutionId: string, id: string, t: { name: string; spec: Record<string, unknown>; at: Date; expectedVersion?: number },
): Promise<TemplateRecord> {
  const current = await getTemplate(q, institutionId, id);
  if (t.expectedVersion !== undefined && t.expectedVersion !== current.version) {
    throw new ConflictError('TEMPLATE_VERSION_CONFLICT', `Template "${id}" is at version ${current.version}, not ${t.expectedVersion}.`, { version: current.version });
  }
  const { rows } = await q.query<Row>(
    `UPDATE mc_templates SET name = $3, spec = $4, version = version + 1, updated_at = $5
      WHERE id = $1 AND institution_id = $2 AND version = $6 RETURNING ${COLUMNS}`,
    [id, institutionId, t.name, JSON.stringify(t.spec), t.at, current.version],
  );
  if (!rows[0]) throw new ConflictError('TEMPLATE_VERSION_CONFLICT', `Template "${id}" changed while it was being updated.`);
  return toRecord(rows[0]);
}

/** Deletes a template for good (issued credentials and batches keep their own copies). */
export async function deleteTemplate(q: Queryable, institutionId: string, id: string): Promise<void> {
  if (!UUID.test(id)) throw templateNotFound(id);
  const { rowCount } = await q.query('DELETE FROM mc_templates WHERE id = $1 AND institution_id = $2', [id, institutionId]);
  if (rowCount === 0) throw templateNotFound(id);
}
