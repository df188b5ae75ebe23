import type { AppContext } from '../../context.js';
import type { Actor } from '../habilitations/policy.js';
import { applicationsInOrder, roleLabels } from './repository.js';

export interface PortalApplication {
  code: string;
  name: string;
  description: string;
  path: string;
  roles: Array<{ code: string; label: string }>;
}

/** The applications the actor holds at least one habilitation for, nothing else. */
export async function applicationsFor(ctx: AppContext, actor: Actor): Promise<PortalApplication[]> {
  if (actor.habilitations.length === 0) return [];
  const [apps, roles] = await Promise.all([applicationsInOrder(ctx.db), roleLabels(ctx.db)]);
  return apps
    .map((a) => ({
      code: a.code,
      name: a.name,
      description: a.description,
      path: a.path,
      roles: actor.habilitations
        .filter((h) => h.application === a.code)
        .map((h) => ({ code: h.role, label: roles.find((r) => r.application === a.code && r.code === h.role)?.label ?? h.role })),
    }))
    .filter((a) => a.roles.length > 0);
}
