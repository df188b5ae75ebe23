/**
 * Quote templates (docs/product/quotes.md#templates): an organisation saves the training part of a
 * quote under a name and starts new quotes from it. Templates belong to one organisation; another's
 * is a 404.
 */
import { z } from 'zod';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { Selectable } from 'kysely';
import type { QuoteTemplateTable } from '../../../db/schema.js';
import { fieldErrorsFrom, problems } from '../../../http/problem.js';
import { byActor, recordAudit } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import { storedData } from '../record/quote-json.js';
import { QUOTE_TYPES, trainingSectionSchema, type QuoteInput, type QuoteType } from '../rules/quote-schema.js';
import { findOwnQuote } from '../record/repository.js';

export const TEMPLATE_NOT_FOUND = 'Ce modèle de devis est introuvable.';
const MAX_TEMPLATES = 200;

export interface TemplateView {
  id: string;
  name: string;
  type: QuoteType;
  training: QuoteInput['training'];
  createdAt: string;
  updatedAt: string;
}

const nameSchema = z
  .string({ error: (iss) => (iss.input === undefined ? 'Nom du modèle (name) : champ obligatoire.' : 'Nom du modèle (name) : texte attendu.') })
  .trim()
  .min(1, 'Nom du modèle (name) : champ obligatoire.')
  .max(100, 'Nom du modèle (name) : 100 caractères au maximum.');

/** From a quote of the organisation, or from a training section given directly. */
export const templateCreateSchema = z
  .strictObject({
    name: nameSchema,
    quoteId: z.uuid({ error: 'Devis (quoteId) : identifiant de devis invalide.' }).optional(),
    type: z.enum(QUOTE_TYPES, { error: 'Type de devis (type) : choisissez AIF ou POEI.' }).optional(),
    training: trainingSectionSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.quoteId && v.training) ctx.addIssue({ code: 'custom', path: ['training'], message: 'Formation (training) : donnez soit un devis (quoteId), soit une formation, pas les deux.' });
    if (!v.quoteId && !v.training) ctx.addIssue({ code: 'custom', path: ['quoteId'], message: 'Devis (quoteId) : indiquez le devis dont la formation sert de modèle (ou la section training).' });
  });
export type TemplateCreateInput = z.input<typeof templateCreateSchema>;

export const templateRenameSchema = z.strictObject({ name: nameSchema });

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw problems.invalid(fieldErrorsFrom(parsed.error.issues));
  return parsed.data;
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
  let q = ctx.db.selectFrom('quote_template').select('id').where('organisation_id', '=', organisationId).where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw duplicateName(name);
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

function findOwn(ctx: AppContext, organisationId: string, id: string) {
  return ctx.db.selectFrom('quote_template').selectAll().where('id', '=', id).where('organisation_id', '=', organisationId).executeTakeFirst();
}

export async function listTemplates(ctx: AppContext, actor: Actor): Promise<{ templates: TemplateView[] }> {
  const rows = await ctx.db.selectFrom('quote_template').selectAll().where('organisation_id', '=', organisationOf(actor)).limit(MAX_TEMPLATES).execute();
  // French order whatever the database collation (PGlite only has "C", where "Di" sorts before "Dé").
  return { templates: rows.map(view).sort((a, b) => a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' })) };
}

export async function getTemplate(ctx: AppContext, actor: Actor, id: string): Promise<TemplateView> {
  const row = await findOwn(ctx, organisationOf(actor), id);
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

export async function createTemplate(ctx: AppContext, actor: Actor, input: unknown, meta: RequestMeta): Promise<TemplateView> {
  const organisationId = organisationOf(actor);
  const data = parse(templateCreateSchema, input);
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
      const count = await trx.selectFrom('quote_template').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow();
      if (Number(count.n) >= MAX_TEMPLATES) throw problems.conflict(`Vous avez déjà ${MAX_TEMPLATES} modèles : supprimez-en un avant d’en créer un autre.`);
      const inserted = await trx
        .insertInto('quote_template')
        .values({ organisation_id: organisationId, name: data.name, type, training: JSON.stringify(training), created_at: now, updated_at: now, created_by: actor.accountId })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, audit(actor, meta, now, inserted.id, 'quote_template.created', { name: data.name, fromQuote: data.quoteId ?? null }));
      return inserted;
    });
    return view(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName(data.name);
    throw err;
  }
}

export async function renameTemplate(ctx: AppContext, actor: Actor, id: string, input: unknown, meta: RequestMeta): Promise<TemplateView> {
  const organisationId = organisationOf(actor);
  if (!(await findOwn(ctx, organisationId, id))) throw problems.notFound(TEMPLATE_NOT_FOUND);
  const { name } = parse(templateRenameSchema, input);
  await assertNameFree(ctx, organisationId, name, id);
  const now = ctx.clock.now();
  try {
    const row = await ctx.db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable('quote_template').set({ name, updated_at: now }).where('id', '=', id).where('organisation_id', '=', organisationId).returningAll().executeTakeFirst();
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
    const deleted = await trx.deleteFrom('quote_template').where('id', '=', id).where('organisation_id', '=', organisationId).returning(['name']).executeTakeFirst();
    if (!deleted) throw problems.notFound(TEMPLATE_NOT_FOUND);
    await recordAudit(trx, audit(actor, meta, now, id, 'quote_template.deleted', { name: deleted.name }));
  });
}
