/**
 * A support request and the lists as the API writes them: the service's view with its dates as
 * ISO strings (the pages format the same view's dates for Paris).
 */
import type { SupportRequestListItem, SupportRequestView } from './service.js';

const iso = (d: Date) => d.toISOString();

export function requestJson(view: SupportRequestView) {
  return {
    ...view,
    createdAt: iso(view.createdAt),
    updatedAt: iso(view.updatedAt),
    messages: view.messages.map((m) => ({ ...m, at: iso(m.at) })),
  };
}

export function listJson(list: { requests: SupportRequestListItem[]; page: number; hasMore: boolean }) {
  return { ...list, requests: list.requests.map((r) => ({ ...r, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) })) };
}
