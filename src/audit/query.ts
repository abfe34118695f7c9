import type { Queryable } from '../store/index.js';

/** One stored audit record as the API returns it. */
export interface AuditRecord {
  /** bigserial as a decimal string (exceeds 2^53 in theory); the paging cursor. */
  id: string;
  at: string;
  actor: string;
  institutionId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: Record<string, unknown>;
}

/** Filters and keyset page of an audit query; newest first. */
export interface AuditQuery {
  /** Only this institution's records; undefined = every institution (admin). */
  institutionId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Cursor: return records with id below this one. */
  before?: string;
  limit: number;
}

interface Row {
  id: string | number;
  at: Date | string;
  actor: string;
  institution_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: Record<string, unknown>;
}

/** Read audit records, newest first, paged by id (keyset) and filtered by institution, action and time [from, to). */
export async function queryAudit(q: Queryable, opts: AuditQuery): Promise<{ items: AuditRecord[]; next: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (opts.institutionId !== undefined) add('institution_id = ?', opts.institutionId);
  if (opts.action !== undefined) add('action = ?', opts.action);
  if (opts.from !== undefined) add('at >= ?', opts.from);
  if (opts.to !== undefined) add('at < ?', opts.to);
  if (opts.before !== undefined) add('id < ?::bigint', opts.before);
  params.push(opts.limit + 1);
  const { rows } = await q.query<Row>(
    `SELECT id, at, actor, institution_id, action, target_type, target_id, detail FROM audit_log
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, opts.limit).map((r) => ({
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    institutionId: r.institution_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    detail: r.detail ?? {},
  }));
  return { items: page, next: rows.length > opts.limit ? page[page.length - 1]!.id : null };
}
