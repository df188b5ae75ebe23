/**
 * Quote templates (docs/product/quotes.md#templates): an organisation saves the training part of a
 * quote under a name and starts new quotes from it. Templates belong to one organisation; another's
 * is a 404.
 */
import type { AppContext, RequestMeta } from '../../../context.js';
import type { Selectable } from 'kysely';
import type { QuoteTemplateTable } from '../../../db/schema.js';
import { problems } from '../../../http/problem.js';
import { byActor, recordAudit } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import type { QuoteInput, QuoteType } from '../rules/quote-schema.js';
import { storedData } from '../record/quote-json.js';
import { findOwnQuote } from '../record/repository.js';
import { countOwnTemplates, deleteOwnTemplate, findOwnTemplate, insertTemplate, listOwnTemplates, renameOwnTemplate, templateNameTaken } from './repository.js';
import { TEMPLATE_NOT_FOUND, type TemplateCreateInput } from './schemas.js';

export { TEMPLATE_NOT_FOUND } from './schemas.js';
const MAX_TEMPLATES = 200;

export interface TemplateView {
  id: string;
  name: string;
  type: QuoteType;
  training: QuoteInput['training'];
  createdAt: string;
  updatedAt: string;
}

function organisationOf(actor: Actor): string {
  if (!actor.organisation) throw problems.forbidden();
  return actor.organisation.id;
}

const view = (t: Selectable<QuoteTemplateTable>): TemplateView => ({
  id: t.id,
  name: t.name,
  type: t.type,
  training: t.training as unknown as QuoteInput['training'],
  createdAt: t.created_at.toISOString(),
  updatedAt: t.updated_at.toISOString(),
});

const duplicateName = (name: string) =>
  problems.invalid([{ field: 'name', message: `Nom du modèle (name) : un modèle « ${name} » existe déjà ; choisissez un autre nom.` }]);

/** The unique index on (organisation, lower(name)) settles races; this check gives the field error. */
async function assertNameFree(ctx: AppContext, organisationId: string, name: string, exceptId?: string) {
  if (await templateNameTaken(ctx.db, organisationId, name, exceptId)) throw duplicateName(name);
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

export async function listTemplates(ctx: AppContext, actor: Actor): Promise<{ templates: TemplateView[] }> {
  const rows = await listOwnTemplates(ctx.db, organisationOf(actor), MAX_TEMPLATES);
  // French order whatever the database collation (PGlite only has "C", where "Di" sorts before "Dé").
  return { templates: rows.map(view).sort((a, b) => a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' })) };
}

export async function getTemplate(ctx: AppContext, actor: Actor, id: string): Promise<TemplateView> {
  const row = await findOwnTemplate(ctx.db, organisationOf(actor), id);
  if (!row) throw problems.notFound(TEMPLATE_NOT_FOUND);
  return view(row);
}

const audit = (actor: Actor, meta: RequestMeta, at: Date, id: string, action: string, details: Record<string, unknown>) => ({
  at,
  ...byActor(actor, meta),
  organisationId: actor.organisation?.id ?? null,
  action,
  target: { type: 'quote_template', id },
  details,
});

export async function createTemplate(ctx: AppContext, actor: Actor, data: TemplateCreateInput, meta: RequestMeta): Promise<TemplateView> {
  const organisationId = organisationOf(actor);
  let type: QuoteType = data.type ?? 'AIF';
  let training = data.training;
  if (data.quoteId) {
    const quote = await findOwnQuote(ctx.db, organisationId, data.quoteId);
    if (!quote) throw problems.invalid([{ field: 'quoteId', message: 'Devis (quoteId) : ce devis est introuvable dans votre organisme.' }]);
    training = storedData(quote).training;
    type = data.type ?? quote.type;
  }
  await assertNameFree(ctx, organisationId, data.name);
  const now = ctx.clock.now();
  try {
    const row = await ctx.db.transaction().execute(async (trx) => {
      if ((await countOwnTemplates(trx, organisationId)) >= MAX_TEMPLATES) throw problems.conflict(`Vous avez déjà ${MAX_TEMPLATES} modèles : supprimez-en un avant d’en créer un autre.`);
      const inserted = await insertTemplate(trx, { organisation_id: organisationId, name: data.name, type, training: JSON.stringify(training), created_at: now, updated_at: now, created_by: actor.accountId });
      await recordAudit(trx, audit(actor, meta, now, inserted.id, 'quote_template.created', { name: data.name, fromQuote: data.quoteId ?? null }));
      return inserted;
    });
    return view(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName(data.name);
    throw err;
  }
}

/** `name` is validated (templateRenameSchema); a template of another organisation is a 404. */
export async function renameTemplate(ctx: AppContext, actor: Actor, id: string, name: string, meta: RequestMeta): Promise<TemplateView> {
  const organisationId = organisationOf(actor);
  if (!(await findOwnTemplate(ctx.db, organisationId, id))) throw problems.notFound(TEMPLATE_NOT_FOUND);
  await assertNameFree(ctx, organisationId, name, id);
  const now = ctx.clock.now();
  try {
    const row = await ctx.db.transaction().execute(async (trx) => {
      const updated = await renameOwnTemplate(trx, organisationId, id, name, now);
      if (!updated) throw problems.notFound(TEMPLATE_NOT_FOUND);
      await recordAudit(trx, audit(actor, meta, now, id, 'quote_template.renamed', { name }));
      return updated;
    });
    return view(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName(name);
    throw err;
  }
}

export async function deleteTemplate(ctx: AppContext, actor: Actor, id: string, meta: RequestMeta): Promise<void> {
  const organisationId = organisationOf(actor);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const deleted = await deleteOwnTemplate(trx, organisationId, id);
    if (!deleted) throw problems.notFound(TEMPLATE_NOT_FOUND);
    await recordAudit(trx, audit(actor, meta, now, id, 'quote_template.deleted', { name: deleted.name }));
  });
}
