import type { Queryable } from '../store/index.js';

/** Who did something: the admin token, an institution's API key, a wallet, or the system itself. */
export interface Actor {
  kind: 'admin' | 'institution' | 'wallet' | 'system';
  /** Institution id for institution actors; a short label otherwise. */
  id: string;
}

/** One audit record to append. */
export interface AuditEntry {
  actor: Actor;
  institutionId?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
  at: Date;
}

/** The audit_log columns an entry fills, in the order of auditValues(). */
export const AUDIT_COLUMNS = 'at, actor, institution_id, action, target_type, target_id, detail';

/** An entry's values for AUDIT_COLUMNS. */
export function auditValues(e: AuditEntry): unknown[] {
  return [e.at, `${e.actor.kind}:${e.actor.id}`, e.institutionId ?? null, e.action, e.targetType ?? null, e.targetId ?? null, JSON.stringify(e.detail ?? {})];
}

/** Append an audit record inside the caller's transaction, so the record and the change commit together. */
export async function appendAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, auditValues(e));
}
