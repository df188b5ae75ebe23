/**
 * The quotes of the two demo organisations, in every status of the lifecycle
 * (docs/product/quotes.md#lifecycle), AIF and POEI, two templates at Formapro; and the approved
 * quotes the trainings come from (trainings.ts follows them by key).
 */
import { templateCreateSchema } from '../../modules/quotes/templates/schemas.js';
import { createTemplate } from '../../modules/quotes/templates/service.js';
import { COURSES } from './catalogue.js';
import { momentOf } from './clock.js';
import type { WorldCandidate, WorldContext } from './context.js';
import { periodOf, planQuote, type QuoteMove, type QuoteParty, type QuotePlan } from './quote-plan.js';

/** The demo candidates' records (src/demo/seed.ts). */
export const CANDIDAT_DEMO: QuoteParty = { identifier: '1234567A', lastName: 'Martin', birthDate: '1990-04-12', login: 'candidat.demo' };
export const CANDIDAT_DEMO2: QuoteParty = { identifier: '7654321B', lastName: 'Bernard', birthDate: '1985-11-03', login: 'candidat.demo2' };

const party = (c: WorldCandidate): QuoteParty => ({ identifier: c.identifier, lastName: c.lastName, birthDate: c.birthDate, login: c.login });

/** Submitted, accepted two days later, approved by the advisor two days after that. */
const approvedPath = (submitted: number): QuoteMove[] => [
  { on: submitted, by: 'editor', action: 'submit' },
  { on: submitted + 2, by: 'candidate', action: 'accept' },
  { on: submitted + 4, by: 'advisor', action: 'approve' },
];

const CHANGES = 'Merci d’ajouter au devis les frais de passage de la certification, que le candidat ne peut pas avancer.';
const CHANGES_RATE = 'Le nombre d’heures en centre me paraît élevé pour ce projet : pouvez-vous proposer un parcours plus court, centré sur les modules utiles au candidat ?';
const REFUSAL = 'Cette formation ne correspond pas au projet professionnel validé avec le candidat (métiers de la logistique) ; nous en reparlons lors de notre prochain rendez-vous.';
const DECLINE = 'J’ai signé un contrat de travail avec un autre employeur, je ne suivrai pas la formation. Merci.';
const CANCEL = 'Le candidat a trouvé une session plus proche de chez lui : devis retiré à sa demande.';

export function planQuotes(world: WorldContext): void {
  const templates: string[] = [];
  world.timeline.at(momentOf(world.day(-150), '09:00'), 'modèles de devis de Formapro Démo', async () => {
    const editor = await world.actor('devis.demo');
    for (const [name, course] of [['Développeur web — temps plein', COURSES.web], ['Secrétaire assistant — temps plein', COURSES.secretary]] as const) {
      const { startDate, endDate } = periodOf(world, { startsFrom: -120, weeks: 20 });
      const input = templateCreateSchema.parse({
        name,
        type: 'AIF',
        training: { title: course.title, carifOrefSession: 'SE_0000500000', formacode: course.formacode, certification: course.certification, startDate, endDate, schedule: course.schedule, centreHours: 0, companyHours: 0, place: '14 rue de la Formation, 69003 Lyon', distanceLearning: false },
      });
      templates.push((await createTemplate(world.ctx, editor, input, world.meta())).id);
    }
  });
  const web = () => templates[0];
  const secretary = () => templates[1];
  const f = world.candidates.formapro.map(party);
  const a = world.candidates.atelier.map(party);
  const plans: QuotePlan[] = [
    // Formapro Démo: the trainings (trainings.ts), oldest first.
    { organisation: 'formapro', candidate: f[5]!, course: COURSES.forklift, session: 'SE_0000612001', createdOn: -129, startsFrom: -112, weeks: 8, moves: approvedPath(-128), trainingKey: 'reported' },
    { organisation: 'formapro', candidate: f[4]!, course: COURSES.secretary, session: 'SE_0000612002', createdOn: -122, startsFrom: -105, weeks: 8, moves: approvedPath(-121), templateId: secretary, trainingKey: 'overdue' },
    { organisation: 'formapro', candidate: f[3]!, course: COURSES.accounting, session: 'SE_0000612003', createdOn: -101, startsFrom: -84, weeks: 10, moves: approvedPath(-100), trainingKey: 'exited' },
    { organisation: 'formapro', candidate: f[2]!, course: COURSES.web, session: 'SE_0000612004', createdOn: -91, startsFrom: -74, weeks: 22, moves: approvedPath(-90), templateId: web, trainingKey: 'withdrawn' },
    { organisation: 'formapro', candidate: CANDIDAT_DEMO, course: COURSES.web, session: 'SE_0000612005', createdOn: -81, startsFrom: -64, weeks: 24, moves: approvedPath(-80), templateId: web, trainingKey: 'demo' },
    { organisation: 'formapro', candidate: f[0]!, course: COURSES.web, session: 'SE_0000612005', createdOn: -80, startsFrom: -64, weeks: 24, moves: approvedPath(-79), templateId: web, trainingKey: 'alert' },
    { organisation: 'formapro', candidate: f[1]!, course: COURSES.secretary, session: 'SE_0000612006', createdOn: -78, startsFrom: -62, weeks: 20, moves: approvedPath(-77), templateId: secretary, trainingKey: 'steady' },
    // Formapro Démo: every other status.
    { organisation: 'formapro', candidate: f[6]!, course: COURSES.web, session: 'SE_0000612010', createdOn: -2, startsFrom: 30, weeks: 12, unfinished: true, templateId: web, moves: [] },
    { organisation: 'formapro', candidate: f[7]!, course: COURSES.secretary, session: 'SE_0000612011', createdOn: -7, startsFrom: 24, weeks: 12, moves: [{ on: -6, by: 'editor', action: 'submit' }] },
    { organisation: 'formapro', candidate: CANDIDAT_DEMO2, course: COURSES.accounting, session: 'SE_0000612012', createdOn: -6, startsFrom: 30, weeks: 16, moves: [{ on: -5, by: 'editor', action: 'submit' }, { on: -4, by: 'candidate', action: 'accept', comment: 'Merci, les horaires me conviennent.' }] },
    { organisation: 'formapro', candidate: f[8]!, course: COURSES.web, session: 'SE_0000612013', createdOn: -22, startsFrom: 14, weeks: 22, moves: [{ on: -21, by: 'editor', action: 'submit' }, { on: -19, by: 'candidate', action: 'accept' }, { on: -17, by: 'advisor', action: 'request_changes', comment: CHANGES_RATE }] },
    {
      organisation: 'formapro', candidate: f[9]!, course: COURSES.forklift, session: 'SE_0000612014', createdOn: -32, startsFrom: 4, weeks: 6,
      moves: [
        { on: -31, by: 'editor', action: 'submit' }, { on: -29, by: 'candidate', action: 'accept' }, { on: -27, by: 'advisor', action: 'request_changes', comment: CHANGES },
        { on: -26, by: 'editor', action: 'new_version' }, { on: -26, at: '10:20', by: 'editor', action: 'add_line', label: 'Frais de passage du CACES', amount: 180 }, { on: -26, at: '10:30', by: 'editor', action: 'submit' },
        { on: -24, by: 'candidate', action: 'accept' }, { on: -22, by: 'advisor', action: 'approve' },
      ],
      trainingKey: 'planned',
    },
    { organisation: 'formapro', candidate: f[10]!, course: COURSES.sales, session: 'SE_0000612015', createdOn: -44, startsFrom: -20, weeks: 8, moves: [{ on: -43, by: 'editor', action: 'submit' }, { on: -41, by: 'candidate', action: 'accept' }, { on: -40, by: 'advisor', action: 'refuse', comment: REFUSAL }] },
    { organisation: 'formapro', candidate: f[11]!, course: COURSES.sales, session: 'SE_0000612016', createdOn: -37, startsFrom: -10, weeks: 10, poei: true, moves: [{ on: -36, by: 'editor', action: 'submit' }, { on: -34, by: 'candidate', action: 'decline', comment: DECLINE }] },
    { organisation: 'formapro', candidate: f[12]!, course: COURSES.care, session: 'SE_0000612017', createdOn: -27, startsFrom: 10, weeks: 14, moves: [{ on: -26, by: 'editor', action: 'submit' }] },
    { organisation: 'formapro', candidate: f[13]!, course: COURSES.accounting, session: 'SE_0000612018', createdOn: -16, startsFrom: 20, weeks: 16, moves: [{ on: -15, by: 'editor', action: 'submit' }, { on: -13, by: 'editor', action: 'cancel', comment: CANCEL }] },
    // Atelier Compétences Démo: a POEI in progress, then every other status.
    { organisation: 'atelier', candidate: a[0]!, course: COURSES.forklift, session: '33_AF-0042', createdOn: -63, startsFrom: -46, weeks: 11, poei: true, moves: approvedPath(-62), trainingKey: 'atelier' },
    { organisation: 'atelier', candidate: a[1]!, course: COURSES.care, session: '33_AF-0051', createdOn: -3, startsFrom: 30, weeks: 14, unfinished: true, moves: [] },
    { organisation: 'atelier', candidate: a[2]!, course: COURSES.care, session: '33_AF-0052', createdOn: -4, startsFrom: 24, weeks: 14, moves: [{ on: -3, by: 'editor', action: 'submit' }] },
    { organisation: 'atelier', candidate: a[3]!, course: COURSES.sales, session: '33_AF-0053', createdOn: -9, startsFrom: 21, weeks: 8, moves: [{ on: -8, by: 'editor', action: 'submit' }, { on: -6, by: 'candidate', action: 'accept' }] },
    { organisation: 'atelier', candidate: a[4]!, course: COURSES.accounting, session: '33_AF-0054', createdOn: -19, startsFrom: 20, weeks: 16, moves: [{ on: -18, by: 'editor', action: 'submit' }, { on: -16, by: 'candidate', action: 'accept' }, { on: -15, by: 'advisor', action: 'request_changes', comment: CHANGES }] },
    {
      organisation: 'atelier', candidate: a[5]!, course: COURSES.forklift, session: '33_AF-0055', createdOn: -29, startsFrom: 16, weeks: 6,
      moves: [
        { on: -28, by: 'editor', action: 'submit' }, { on: -27, by: 'candidate', action: 'accept' }, { on: -25, by: 'advisor', action: 'request_changes', comment: CHANGES },
        { on: -24, by: 'editor', action: 'new_version' }, { on: -24, at: '10:20', by: 'editor', action: 'add_line', label: 'Frais de passage du CACES', amount: 180 }, { on: -3, by: 'editor', action: 'submit' },
      ],
    },
    { organisation: 'atelier', candidate: a[6]!, course: COURSES.care, session: '33_AF-0056', createdOn: -21, startsFrom: 15, weeks: 14, moves: approvedPath(-20), trainingKey: 'atelier-planned' },
    { organisation: 'atelier', candidate: a[7]!, course: COURSES.sales, session: '33_AF-0057', createdOn: -46, startsFrom: -25, weeks: 8, moves: [{ on: -45, by: 'editor', action: 'submit' }, { on: -44, by: 'candidate', action: 'accept' }, { on: -42, by: 'advisor', action: 'refuse', comment: REFUSAL }] },
    { organisation: 'atelier', candidate: a[8]!, course: COURSES.sales, session: '33_AF-0058', createdOn: -34, startsFrom: -10, weeks: 8, poei: true, moves: [{ on: -33, by: 'editor', action: 'submit' }, { on: -31, by: 'candidate', action: 'decline', comment: DECLINE }] },
    { organisation: 'atelier', candidate: a[9]!, course: COURSES.accounting, session: '33_AF-0059', createdOn: -25, startsFrom: 14, weeks: 16, moves: [{ on: -24, by: 'editor', action: 'submit' }] },
    { organisation: 'atelier', candidate: a[10]!, course: COURSES.care, session: '33_AF-0060', createdOn: -12, startsFrom: 25, weeks: 14, moves: [{ on: -11, by: 'editor', action: 'submit' }, { on: -9, by: 'editor', action: 'cancel', comment: CANCEL }] },
  ];
  for (const plan of plans) planQuote(world, plan);
}
