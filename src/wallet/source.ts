import type { Db } from '../store/index.js';
import { isUniqueViolation } from '../store/index.js';
import type { Actor } from '../audit/index.js';
import type { InstitutionRecord } from '../institutions/index.js';
import type { CredentialService } from '../credentials/index.js';
import { claimsOfIssued } from './prepare.js';
import { findPrepared, findPreparedBySource, insertPrepared, type PreparedRecord } from './prepared-repo.js';

/**
 * The prepared record behind an id given by an institution: a prepared credential, or — for
 * an already issued credential — the record derived from its claims (made once, then reused),
 * so every offer and learner link works on one shape.
 */
export async function preparedFor(
  deps: { db: Db; credentials: CredentialService; now: () => Date; newId: () => string },
  institution: InstitutionRecord,
  id: string,
  actor: Actor,
): Promise<PreparedRecord> {
  const prepared = await findPrepared(deps.db, id);
  if (prepared && prepared.institutionId === institution.id) return prepared;
  // Throws CREDENTIAL_NOT_FOUND for unknown ids and other institutions' credentials alike.
  const issued = await deps.credentials.get(id, institution);
  const existing = await findPreparedBySource(deps.db, issued.id);
  if (existing) return existing;
  const body = claimsOfIssued(issued);
  try {
    await insertPrepared(deps.db, { id: deps.newId(), institutionId: institution.id, body, sourceCredentialId: issued.id, createdAt: deps.now(), createdBy: `${actor.kind}:${actor.id}` });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const made = await findPreparedBySource(deps.db, issued.id);
  if (!made) throw new Error('derived prepared record vanished');
  return made;
}
