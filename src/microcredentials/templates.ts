/** Template capability: validated course specifications, scoped to an institution, versioned. */
import { randomUUID } from 'node:crypto';
import { appendAudit, type Actor } from '../audit/index.js';
import { validateMicroCredentialRequest } from '../elm/index.js';
import type { InstitutionRecord } from '../institutions/index.js';
import type { Db, Queryable } from '../store/index.js';
import { templateInvalid } from './errors.js';
import { buildFromRequest, type IssueDeps } from './issue-request.js';
import { PLACEHOLDER_LEARNER } from './merge.js';
import { deleteTemplate, getTemplate, insertTemplate, listTemplates, updateTemplate, type TemplateRecord } from './templates-repo.js';

/** Body of POST/PUT /issuers/{slug}/templates. */
export interface TemplateInput { name: string; spec: Record<string, unknown>; version?: number }

/**
 * Checks a spec the way a request would be checked — schema, vocabulary codes, accreditation —
 * by building it once with a placeholder learner. Annex I completeness is not required here:
 * it is checked on the request merged with the template.
 */
async function validateSpec(deps: IssueDeps, institution: InstitutionRecord, spec: Record<string, unknown>): Promise<void> {
  if ('learner' in spec) throw templateInvalid('A template describes the course; the learner is given when issuing.', { field: 'learner' });
  if ('templateId' in spec || 'options' in spec) throw templateInvalid('templateId and options are not template fields.');
  const request = validateMicroCredentialRequest({ ...spec, learner: PLACEHOLDER_LEARNER });
  await buildFromRequest({ ...deps, newId: () => randomUUID() }, institution, request);
}

/** Creates the template operations over the store. */
export function createTemplateService(deps: IssueDeps & { db: Db }) {
  // Each change and its audit record commit together, as every other audited action does.
  const audit = (q: Queryable, actor: Actor, institution: InstitutionRecord, action: string, id: string, detail: Record<string, unknown> = {}) =>
    appendAudit(q, { actor, institutionId: institution.id, action, targetType: 'template', targetId: id, at: deps.now(), detail });

  return {
    /** Validate and store a new template. */
    async create(institution: InstitutionRecord, input: TemplateInput, actor: Actor): Promise<TemplateRecord> {
      await validateSpec(deps, institution, input.spec);
      return deps.db.transaction(async (tx) => {
        const rec = await insertTemplate(tx, { id: deps.newId(), institutionId: institution.id, name: input.name, spec: structuredClone(input.spec), at: deps.now() });
        await audit(tx, actor, institution, 'template.created', rec.id);
        return rec;
      });
    },
    /** Read one template of the institution (404 TEMPLATE_NOT_FOUND otherwise). */
    get: (institution: InstitutionRecord, id: string): Promise<TemplateRecord> => getTemplate(deps.db, institution.id, id),
    /** List the institution's templates (keyset paging). */
    list: (institution: InstitutionRecord, page: { after?: string; limit: number }): Promise<TemplateRecord[]> => listTemplates(deps.db, institution.id, page),
    /** Replace a template; `version` in the input guards against concurrent edits. */
    async update(institution: InstitutionRecord, id: string, input: TemplateInput, actor: Actor): Promise<TemplateRecord> {
      await getTemplate(deps.db, institution.id, id);
      await validateSpec(deps, institution, input.spec);
      return deps.db.transaction(async (tx) => {
        const rec = await updateTemplate(tx, institution.id, id, {
          name: input.name, spec: structuredClone(input.spec), at: deps.now(), ...(input.version !== undefined ? { expectedVersion: input.version } : {}),
        });
        await audit(tx, actor, institution, 'template.updated', id, { version: rec.version });
        return rec;
      });
    },
    /** Delete a template for good; issued credentials and queued batches keep their own copies. */
    async remove(institution: InstitutionRecord, id: string, actor: Actor): Promise<void> {
      await deps.db.transaction(async (tx) => {
        await deleteTemplate(tx, institution.id, id);
        await audit(tx, actor, institution, 'template.deleted', id);
      });
    },
  };
}

/** The template operations' type. */
export type TemplateService = ReturnType<typeof createTemplateService>;
