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

/** The pages an application's roles open, listed on its home ("application/role" → link). */
const ROLE_LINKS: Record<string, Array<{ href: string; label: string }>> = {
  'kairos/quote_editor': [{ href: '/devis', label: 'Devis de formation (AIF, POEI) et modèles' }],
  'kairos/advisor': [
    { href: '/conseiller/devis', label: 'File des devis à décider' },
    { href: '/kairos/formations', label: 'Formations de vos candidats et alertes' },
  ],
  'kairos/attendance_officer': [
    { href: '/kairos/formations', label: 'Formations : entrées, assiduité, abandons et bilans' },
    { href: '/kairos/emargement', label: 'Émargement numérique : feuilles des demi-journées' },
  ],
  'kairos/reader': [{ href: '/kairos/formations', label: 'Formations (consultation)' }],
  'kairos/trainer': [{ href: '/kairos/emargement', label: 'Émargement numérique : ouvrir, suivre et clore les feuilles des demi-journées' }],
  'support/user': [{ href: '/support/demandes', label: 'Mes demandes d’assistance (et en créer une)' }],
  'support/agent': [{ href: '/support/file', label: 'File des demandes d’assistance' }],
};

/** The links of an application's home for the roles held, each page once. */
export function applicationLinks(app: PortalApplication): Array<{ href: string; label: string }> {
  const all = app.roles.flatMap((r) => ROLE_LINKS[`${app.code}/${r.code}`] ?? []);
  return all.filter((l, i) => all.findIndex((o) => o.href === l.href) === i);
}
