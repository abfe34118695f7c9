export { appendAudit } from './append.js';
export type { Actor, AuditEntry } from './append.js';
