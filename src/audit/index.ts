export { appendAudit, auditValues, AUDIT_COLUMNS } from './append.js';
export type { Actor, AuditEntry } from './append.js';
export { queryAudit, type AuditQuery, type AuditRecord } from './query.js';
