/**
 * The agency's side of the demo world (docs/product/joining-and-habilitations.md): adhesion
 * requests waiting and one rejected, an account manager's unusual burst of account creations
 * held for confirmation and released by the agency (a resolved security alert), and the access
 * review the nightly sweep opens.
 */
import { createUser } from '../../modules/habilitations/users/service.js';
import { runAccessReviewSweep } from '../../modules/habilitations/index.js';
import { membershipRequestSchema, parisDay } from '../../modules/onboarding/rules.js';
import { rejectMembershipRequest, submitMembershipRequest } from '../../modules/onboarding/membership-service.js';
import { reinstateFromAlert } from '../../modules/security/alerts-service.js';
import { momentOf } from './clock.js';
import type { WorldContext } from './context.js';
import { ATELIER_COLLEAGUES } from './names.js';

/** A SIRET whose last digit is the Luhn key of the 13 before it, as real ones have. */
export function siretWithKey(first13: string): string {
  for (let key = 0; key <= 9; key++) {
    const candidate = `${first13}${key}`;
    const sum = [...candidate].reverse().reduce((s, c, i) => {
      const n = Number(c) * (i % 2 === 1 ? 2 : 1);
      return s + (n > 9 ? n - 9 : n);
    }, 0);
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

const REQUESTS = [
  { legalName: 'Horizons Numériques Formation Démo', siret: siretWithKey('5123456780001'), nda: '75331234533', address: '21 cours de l’Intendance, 33000 Bordeaux', manager: { lastName: 'Vasseur', firstName: 'Hélène', email: 'helene.vasseur@horizons-numeriques.example', phone: '05 56 00 00 01' } },
  { legalName: 'Compétences Express Démo', siret: siretWithKey('5234567890001'), nda: '11759876575', address: '5 impasse des Essais, 93200 Saint-Denis', manager: { lastName: 'Olivier', firstName: 'Marc', email: 'marc.olivier@competences-express.example', phone: '01 48 00 00 02' } },
];
const REJECTION = 'Le certificat Qualiopi joint ne correspond pas au SIRET déclaré ; déposez une nouvelle demande avec le certificat de l’établissement concerné.';
const ALERT_NOTE = 'Volume vérifié avec Maxime Responsable par téléphone : recrutement de quatre formateurs pour la rentrée. Comptes libérés.';

export function planAgency(world: WorldContext): void {
  REQUESTS.forEach((r, i) => {
    world.timeline.at(momentOf(world.day(-9 + i * 5), '13:40'), `demande d’adhésion ${r.legalName}`, async () => {
      const today = parisDay(world.ctx.clock.now());
      const input = membershipRequestSchema(today).parse({
        legalName: r.legalName,
        siret: r.siret,
        nda: r.nda,
        qualiopi: true,
        qualiopiExpiry: `${Number(today.slice(0, 4)) + 2}-06-30`,
        address: r.address,
        accountManager: r.manager,
      });
      const created = await submitMembershipRequest(world.ctx, input, world.meta());
      if (i === 0) {
        world.timeline.at(momentOf(world.day(-7), '09:50'), `refus de ${r.legalName}`, async () => {
          await rejectMembershipRequest(world.ctx, await world.actor('admin.agence'), created.id, REJECTION, world.meta());
        });
      }
    });
  });

  // Four colleagues in a morning: the fourth is held and the agency alerted (creation-guard.ts).
  ATELIER_COLLEAGUES.forEach((c, i) => {
    world.timeline.at(momentOf(world.day(-35), `08:${String(20 + i * 6)}`), `compte ${c.firstName} ${c.lastName}`, async () => {
      const email = `${c.firstName}.${c.lastName}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      await createUser(world.ctx, await world.actor('rgc.demo2'), world.organisations.atelier, { ...c, email: `${email}@atelier-competences.example` }, world.meta());
    });
  });
  world.timeline.at(momentOf(world.day(-34), '08:05'), 'alerte de sécurité traitée', async () => {
    const alert = await world.ctx.db.selectFrom('security_alert').select('id').where('organisation_id', '=', world.organisations.atelier).where('status', '=', 'open').executeTakeFirstOrThrow();
    await reinstateFromAlert(world.ctx, await world.actor('admin.agence'), alert.id, { note: ALERT_NOTE }, world.meta());
  });

  // The first campaign is due 180 days after an organisation joins; the demo organisations joined
  // today, so the sweep runs once with a period of zero days to open theirs now.
  world.timeline.at(new Date(8.64e15), 'revue des habilitations', async () => {
    const config = { ...world.ctx.config, accessReview: { ...world.ctx.config.accessReview, periodDays: 0 } };
    await runAccessReviewSweep({ ...world.ctx, config });
  });
}
