/**
 * Support in the demo world (docs/product/support.md): an incident in a user's journal and the
 * request that quotes its reference with a screenshot (open), a question answered by support.demo,
 * a candidate's question answered then closed, a fresh one from the atelier.
 */
import { randomUUID } from 'node:crypto';
import { recordRequestError } from '../../modules/support/error-references/service.js';
import { checkScreenshots } from '../../modules/support/requests/files.js';
import { supportRequestSchema } from '../../modules/support/requests/schemas.js';
import { changeRequestStatus, createSupportRequest, replyToRequest } from '../../modules/support/requests/service.js';
import { momentOf } from './clock.js';
import type { WorldContext } from './context.js';
import { demoScreenshot } from './screenshot.js';

interface SupportStory {
  login: string;
  on: number;
  request: { category: string; subject: string; description: string; steps?: string };
  incident?: true;
  reply?: { on: number; body: string };
  closeOn?: number;
}

const STORIES: SupportStory[] = [
  {
    login: 'devis.demo',
    on: -2,
    incident: true,
    request: {
      category: 'erreur',
      subject: 'Erreur en enregistrant un brouillon de devis',
      description: 'En enregistrant le brouillon d’un devis, une page d’erreur s’est affichée. J’ai recopié la référence et joint une capture d’écran.',
      steps: 'Devis > Nouveau devis > saisie de l’emploi du temps > Enregistrer le brouillon.',
    },
  },
  {
    login: 'assiduite.demo',
    on: -6,
    request: { category: 'assiduite', subject: 'Corriger un mois déjà transmis', description: 'Un stagiaire nous apporte un arrêt de travail pour une absence d’un mois déjà transmis. Comment corriger la déclaration ?' },
    reply: { on: -5, body: 'Bonjour, sur la page de la formation, la section « Corriger un mois transmis » permet de changer la demi-journée en indiquant le motif ; la correction est conservée avec l’état de présence. Bonne journée.' },
  },
  {
    login: 'candidat.demo',
    on: -20,
    request: { category: 'autre', subject: 'Où trouver mon état de présence ?', description: 'Bonjour, mon conseiller me demande mon état de présence du mois dernier. Où puis-je le télécharger ?' },
    reply: { on: -19, body: 'Bonjour, dans « Ma formation », choisissez le mois : le lien « État de présence (PDF) » apparaît dès que l’organisme l’a transmis.' },
    closeOn: -18,
  },
  {
    login: 'rgc.demo2',
    on: -1,
    request: { category: 'habilitations', subject: 'Revue des habilitations', description: 'Une collègue est partie en fin de mois : dois-je retirer ses rôles avant la revue des habilitations, ou pendant ?' },
  },
];

export function planSupport(world: WorldContext): void {
  for (const story of STORIES) {
    const reference = story.incident ? randomUUID() : undefined;
    let requestId = '';
    if (reference) {
      world.timeline.at(momentOf(world.day(story.on), '09:12'), `incident de ${story.login}`, async () => {
        const actor = await world.actor(story.login);
        await recordRequestError(world.ctx.db, {
          requestId: reference,
          at: world.ctx.clock.now(),
          method: 'POST',
          route: '/kairos/devis/:id',
          status: 503,
          accountId: actor.accountId,
          organisationId: actor.organisation?.id ?? null,
          errorClass: 'DatabaseUnavailable',
          message: 'La base de données n’a pas répondu à temps.',
        });
      });
    }
    world.timeline.at(momentOf(world.day(story.on), '09:30'), `demande d’assistance de ${story.login}`, async () => {
      const input = supportRequestSchema.parse({ ...story.request, ...(reference ? { errorReference: reference } : {}) });
      const checked = checkScreenshots(reference ? [{ fileName: 'capture-erreur-devis.png', data: demoScreenshot() }] : []);
      if (!checked.ok) throw new Error('the demo screenshot is refused');
      const files = checked.files;
      requestId = (await createSupportRequest(world.ctx, await world.actor(story.login), input, files, world.meta())).id;
    });
    if (story.reply) {
      const body = story.reply.body;
      world.timeline.at(momentOf(world.day(story.reply.on), '08:40'), `réponse à ${story.login}`, async () => {
        await replyToRequest(world.ctx, await world.actor('support.demo'), requestId, body, world.meta());
      });
    }
    if (story.closeOn !== undefined) {
      world.timeline.at(momentOf(world.day(story.closeOn), '18:00'), `clôture de la demande de ${story.login}`, async () => {
        await changeRequestStatus(world.ctx, await world.actor(story.login), requestId, 'closed', world.meta());
      });
    }
  }
}
