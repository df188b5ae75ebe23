/**
 * Support requests (docs/product/support.md#support-requests): creation with screenshots, replies,
 * status changes and downloads, each written with its audit row in one transaction. A request is
 * seen by its requester and by support agents; for anyone else it does not exist (404, nothing
 * leaked).
 */
import type { Transaction } from 'kysely';
import type { AppContext, RequestMeta } from '../../../context.js';
import type { DB, SupportRequestStatus } from '../../../db/schema.js';
import { problems } from '../../../http/problem.js';
import { queueMail } from '../../../mail/mailer.js';
import { byActor, recordAudit } from '../../audit/service.js';
import type { Actor } from '../../habilitations/policy.js';
import { isSupportAgent } from '../policy.js';
import { readStoredFile, removeStoredFiles, storeFile, type CheckedFile } from './files.js';
import { agentRepliedMail, requesterRepliedMail } from './mails.js';
import {
  accountEmail,
  answeringAgents,
  attachmentsOf,
  findAttachment,
  insertAttachment,
  insertMessage,
  insertRequest,
  messagesOf,
  ownRequests,
  queueRequests,
  requestingOrganisations,
  setRequestStatus,
  visibleRequest,
  type RequestRow,
  type Viewer,
} from './repository.js';
import { applyMove, type SupportMove, type SupportParty } from './rules.js';
import { ATTACHMENT_NOT_FOUND, REQUEST_NOT_FOUND, type QueueFilters, type SupportRequestInput } from './schemas.js';

function viewerOf(actor: Actor): Viewer {
  return { accountId: actor.accountId, isAgent: isSupportAgent(actor) };
}

/** One's own request is always answered as its requester, even by an agent. */
function partyOf(actor: Actor, row: Pick<RequestRow, 'account_id'>): SupportParty {
  return row.account_id === actor.accountId ? 'requester' : 'agent';
}

export const attachmentUrl = (requestId: string, attachmentId: string) => `/api/v1/support-requests/${requestId}/attachments/${attachmentId}`;

const audit = (actor: Actor, meta: RequestMeta, at: Date, row: Pick<RequestRow, 'id' | 'organisation_id'>) => ({
  at,
  ...byActor(actor, meta),
  organisationId: row.organisation_id,
  target: { type: 'support_request', id: row.id },
});

export async function createSupportRequest(ctx: AppContext, actor: Actor, input: SupportRequestInput, files: readonly CheckedFile[], meta: RequestMeta) {
  const now = ctx.clock.now();
  const dir = ctx.config.attachmentsDir;
  // Files first, rows second: a failed transaction leaves files to remove, never rows without files.
  const stored: string[] = [];
  try {
    for (const f of files) stored.push(await storeFile(dir, f.data));
    return await ctx.db.transaction().execute(async (trx) => {
      const row = await insertRequest(trx, {
          account_id: actor.accountId,
          organisation_id: actor.organisation?.id ?? null,
          category: input.category,
          subject: input.subject,
          description: input.description,
          steps: input.steps,
          error_reference: input.errorReference,
          created_at: now,
          updated_at: now,
        });
      for (const [i, f] of files.entries()) {
        await insertAttachment(trx, { request_id: row.id, position: i + 1, stored_name: stored[i]!, media_type: f.mediaType, size: f.data.length, original_name: f.originalName, at: now });
      }
      await recordAudit(trx, {
        ...audit(actor, meta, now, row),
        action: 'support_request.created',
        details: { number: row.number, category: input.category, attachments: files.length, errorReference: input.errorReference },
      });
      return { id: row.id, number: row.number, status: row.status };
    });
  } catch (err) {
    await removeStoredFiles(dir, stored);
    throw err;
  }
}

async function requireVisible(ctx: AppContext, actor: Actor, id: string): Promise<RequestRow> {
  const row = await visibleRequest(ctx.db, viewerOf(actor), id);
  if (!row) throw problems.notFound(REQUEST_NOT_FOUND);
  return row;
}

/** What the viewer may do next, from the transition table. */
function actionsFor(party: SupportParty, status: SupportRequestStatus): Record<SupportMove, boolean> {
  return {
    reply: applyMove('reply', party, status).ok,
    close: applyMove('close', party, status).ok,
    reopen: applyMove('reopen', party, status).ok,
  };
}

/** The request as its viewer sees it. The requester sees « Assistance » for agents' names. */
export async function getSupportRequest(ctx: AppContext, actor: Actor, id: string) {
  const row = await requireVisible(ctx, actor, id);
  const party = partyOf(actor, row);
  const [messages, attachments] = await Promise.all([messagesOf(ctx.db, row.id), attachmentsOf(ctx.db, row.id)]);
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    category: row.category,
    subject: row.subject,
    description: row.description,
    steps: row.steps,
    errorReference: row.error_reference,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    requester: {
      displayName: row.requester_name,
      ...(party === 'agent' ? { login: row.requester_login } : {}),
      organisation: row.organisation_id ? { id: row.organisation_id, name: row.organisation_name ?? '' } : null,
    },
    viewerRole: party,
    actions: actionsFor(party, row.status),
    messages: messages.map((m) => ({
      id: m.id,
      authorRole: m.author_role,
      authorName: m.author_role === 'agent' && party === 'requester' ? 'Assistance' : m.author_name,
      body: m.body,
      at: m.at,
    })),
    attachments: attachments.map((a) => ({ id: a.id, fileName: a.original_name, mediaType: a.media_type, size: a.size, url: attachmentUrl(row.id, a.id) })),
  };
}
export type SupportRequestView = Awaited<ReturnType<typeof getSupportRequest>>;

const listItem = (r: Awaited<ReturnType<typeof ownRequests>>['rows'][number]) => ({
  id: r.id,
  number: r.number,
  status: r.status,
  category: r.category,
  subject: r.subject,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  requester: { displayName: r.requester_name, organisation: r.organisation_id ? { id: r.organisation_id, name: r.organisation_name ?? '' } : null },
});
export type SupportRequestListItem = ReturnType<typeof listItem>;

export async function listOwnRequests(ctx: AppContext, actor: Actor, filters: { status?: SupportRequestStatus; page: number }) {
  const { rows, hasMore } = await ownRequests(ctx.db, actor.accountId, filters);
  return { requests: rows.map(listItem), page: filters.page, hasMore };
}

export async function listQueue(ctx: AppContext, filters: QueueFilters) {
  const { rows, hasMore } = await queueRequests(ctx.db, filters, ctx.clock.now());
  return { requests: rows.map(listItem), page: filters.page, hasMore };
}

/** Organisations that have asked for help, for the queue's filter. */
export function queueOrganisations(ctx: AppContext) {
  return requestingOrganisations(ctx.db);
}

async function lockVisible(trx: Transaction<DB>, actor: Actor, id: string): Promise<RequestRow> {
  const row = await visibleRequest(trx, viewerOf(actor), id, { lock: true });
  if (!row) throw problems.notFound(REQUEST_NOT_FOUND);
  return row;
}

function moveOrThrow(move: SupportMove, party: SupportParty, status: SupportRequestStatus): SupportRequestStatus {
  const outcome = applyMove(move, party, status);
  if (outcome.ok) return outcome.to;
  throw outcome.reason === 'forbidden' ? problems.forbidden(outcome.message) : problems.conflict(outcome.message);
}

export async function replyToRequest(ctx: AppContext, actor: Actor, id: string, body: string, meta: RequestMeta) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockVisible(trx, actor, id);
    const party = partyOf(actor, row);
    const to = moveOrThrow('reply', party, row.status);
    const message = await insertMessage(trx, { request_id: row.id, author_id: actor.accountId, author_role: party, body, at: now });
    await setRequestStatus(trx, row.id, to, now);
    await recordAudit(trx, { ...audit(actor, meta, now, row), action: 'support_request.replied', details: { number: row.number, role: party, messageId: message.id } });
    if (to !== row.status) {
      await recordAudit(trx, { ...audit(actor, meta, now, row), action: 'support_request.status_changed', details: { number: row.number, from: row.status, to } });
    }
    await mailOtherParty(ctx, trx, row, party, now);
    return { id: message.id, status: to };
  });
}

/** An agent's reply goes to the requester; a requester's reply to the agents already engaged. */
async function mailOtherParty(ctx: AppContext, trx: Transaction<DB>, row: RequestRow, party: SupportParty, now: Date) {
  const operatorName = ctx.config.operatorName;
  if (party === 'agent') {
    const to = await accountEmail(trx, row.account_id);
    if (to) await queueMail(trx, now, agentRepliedMail({ to, number: row.number, operatorName }));
    return;
  }
  for (const agent of await answeringAgents(trx, row.id)) {
    await queueMail(trx, now, requesterRepliedMail({ to: agent.email!, number: row.number, operatorName }));
  }
}

export async function changeRequestStatus(ctx: AppContext, actor: Actor, id: string, wanted: 'open' | 'closed', meta: RequestMeta) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockVisible(trx, actor, id);
    const to = moveOrThrow(wanted === 'closed' ? 'close' : 'reopen', partyOf(actor, row), row.status);
    await setRequestStatus(trx, row.id, to, now);
    await recordAudit(trx, { ...audit(actor, meta, now, row), action: 'support_request.status_changed', details: { number: row.number, from: row.status, to } });
    return { id: row.id, status: to };
  });
}

/** The file, once its download is audited. */
export async function downloadAttachment(ctx: AppContext, actor: Actor, id: string, attachmentId: string, meta: RequestMeta) {
  const row = await requireVisible(ctx, actor, id);
  const attachment = await findAttachment(ctx.db, row.id, attachmentId);
  if (!attachment) throw problems.notFound(ATTACHMENT_NOT_FOUND);
  const data = await readStoredFile(ctx.config.attachmentsDir, attachment.stored_name);
  // The row says the file exists: its absence is a fault of the storage (logged as a 500 with a reference), not of the request.
  if (!data) throw new Error(`support attachment ${attachment.id}: stored file missing`);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, {
      ...audit(actor, meta, now, row),
      action: 'support_request.attachment_downloaded',
      details: { number: row.number, attachmentId: attachment.id, role: partyOf(actor, row) },
    }),
  );
  return { data, mediaType: attachment.media_type, fileName: attachment.original_name };
}
