/**
 * The follow-up of the trainings the approved quotes created (docs/product/training-follow-up.md),
 * played week after week by the organisation's attendance officer: entry on the first day,
 * attendance every Friday (Formapro through its CSV import, the atelier on the grid), at each
 * month's end and up to yesterday, each finished month transmitted; then the story of each
 * training: a correction of a locked month, unjustified absences that alert the advisor, a
 * withdrawal for a job, exits, a report, one report overdue.
 */
import { attendanceBodySchema, correctAttendance, correctionBodySchema, declareEntry, declareExit, declareWithdrawal, importAttendanceCsv, reportBodySchema, saveAttendance, submitReport, submitStatement, withdrawalBodySchema, CSV_HEADER } from '../../modules/training/index.js';
import { halfDaySessions, monthOf, type AttendanceEntry, type HalfDaySession } from '../../modules/training/rules.js';
import { addDays, isoWeekday } from '../../modules/quotes/rules/holidays.js';
import { grantHabilitation } from '../../modules/habilitations/users/service.js';
import { csvLine, entryOf, UNJUSTIFIED } from './attendance-pattern.js';
import { lastDayOfMonth, momentOf } from './clock.js';
import type { WorldContext, WorldOrganisation, WorldTraining } from './context.js';

/** Who declares: Formapro has its attendance officer; at the atelier the quote editor was given the role. */
const OFFICERS: Record<WorldOrganisation, string> = { formapro: 'assiduite.demo', atelier: 'devis.demo2' };

interface Story {
  /** Last day attended, then the withdrawal (found a job). */
  withdrawnOn?: number;
  /** Exit declared this many days after the planned end; `reportAfter` days after it, the report. */
  exitAfter?: number;
  reportAfter?: number;
  /** Three unjustified absences in the previous month: the advisor's alert. */
  unjustifiedLastMonth?: boolean;
  /** An unjustified absence of the previous month, corrected after transmission. */
  correctedLastMonth?: boolean;
}

const STORIES: Record<string, Story> = {
  reported: { exitAfter: 3, reportAfter: 5 },
  overdue: { exitAfter: 3 },
  exited: { exitAfter: 3 },
  withdrawn: { withdrawnOn: -11 },
  demo: { correctedLastMonth: true },
  alert: { unjustifiedLastMonth: true },
  steady: {},
  atelier: {},
};

const WITHDRAWAL_COMMENT = 'Le stagiaire a signé un CDI de développeur junior dans une agence web ; il commence lundi.';
const CORRECTION_REASON = 'Arrêt de travail reçu après la transmission de l’état de présence : absence pour maladie, justifiée.';
const REPORT = {
  outcome: 'completed',
  certification: 'full',
  skills: 'Conduite en sécurité des chariots de catégories 1, 3 et 5 ; règles de circulation en entrepôt ; vérifications de prise de poste.',
  difficulties: 'Quelques absences en début de parcours, rattrapées ; appréhension de la conduite en hauteur surmontée en deuxième semaine.',
  nextSteps: 'Candidatures auprès des plateformes logistiques de l’agglomération ; inscription en agence d’intérim conseillée.',
  employmentOutcome: 'Mission d’intérim de trois mois proposée à l’issue de la formation.',
};

export function planTrainings(world: WorldContext): void {
  const yesterday = world.day(-1);
  const previousMonth = monthOf(addDays(`${monthOf(world.today)}-01`, -1));

  // The atelier is small: its account manager gives the quote editor the attendance role.
  world.timeline.at(momentOf(world.day(-50), '08:30'), 'rôle assiduité à l’atelier', async () => {
    const manager = await world.actor('rgc.demo2');
    const editor = await world.actor('devis.demo2');
    await grantHabilitation(world.ctx, manager, world.organisations.atelier, editor.accountId, { application: 'kairos', role: 'attendance_officer' }, world.meta());
    await world.actor('devis.demo2', true);
  });

  const forced = new Map<string, Map<string, Omit<AttendanceEntry, 'date' | 'period'>>>();
  const followed: Array<{ t: WorldTraining; closedOn: string | null; sessions: HalfDaySession[] }> = [];
  for (const [key, story] of Object.entries(STORIES)) {
    const t = world.trainings.get(key);
    if (!t) throw new Error(`demo world: no quote plans the training « ${key} »`);
    const withdrawnOn = story.withdrawnOn !== undefined ? lastWorkingDay(world.day(story.withdrawnOn)) : null;
    const closedOn = withdrawnOn ?? (story.exitAfter !== undefined ? t.endDate : null);
    const lastDeclared = [closedOn ?? yesterday, yesterday].sort()[0]!;
    const sessions = halfDaySessions(t.schedule, t.startDate, lastDeclared);
    const marks = new Map<string, Omit<AttendanceEntry, 'date' | 'period'>>();
    const lastMonth = sessions.filter((s) => monthOf(s.date) === previousMonth);
    if (story.unjustifiedLastMonth) for (const s of lastMonth.filter((_, i) => i % 9 === 4).slice(0, 3)) marks.set(`${s.date}|${s.period}`, UNJUSTIFIED);
    if (story.correctedLastMonth && lastMonth[3]) marks.set(`${lastMonth[3].date}|${lastMonth[3].period}`, UNJUSTIFIED);
    forced.set(key, marks);
    followed.push({ t, closedOn, sessions });
    planFollowUp(world, t, story, withdrawnOn);
    if (story.correctedLastMonth && lastMonth[3]) planCorrection(world, t, lastMonth[3]);
  }
  planDeclarations(world, followed, forced);
}

function lastWorkingDay(day: string): string {
  let d = day;
  while (isoWeekday(d) > 5) d = addDays(d, -1);
  return d;
}

const idOf = (t: WorldTraining) => {
  if (!t.id) throw new Error(`demo world: the training « ${t.key} » was not created (its quote is not approved)`);
  return t.id;
};

function planFollowUp(world: WorldContext, t: WorldTraining, story: Story, withdrawnOn: string | null) {
  const officer = () => world.actor(OFFICERS[t.organisation]);
  world.timeline.at(momentOf(t.startDate, '08:45'), `entrée en formation ${t.key}`, async () => {
    await declareEntry(world.ctx, await officer(), idOf(t), t.startDate, world.meta());
  });
  if (withdrawnOn) {
    world.timeline.at(momentOf(withdrawnOn, '16:50'), `abandon ${t.key}`, async () => {
      const input = withdrawalBodySchema.parse({ date: withdrawnOn, reason: 'found_job', comment: WITHDRAWAL_COMMENT });
      await declareWithdrawal(world.ctx, await officer(), idOf(t), input, world.meta());
    });
  }
  if (story.exitAfter !== undefined) {
    const exitDay = addDays(t.endDate, story.exitAfter);
    world.timeline.at(momentOf(exitDay, '09:15'), `sortie ${t.key}`, async () => {
      await declareExit(world.ctx, await officer(), idOf(t), world.meta());
    });
    if (story.reportAfter !== undefined) {
      world.timeline.at(momentOf(addDays(exitDay, story.reportAfter), '14:00'), `bilan ${t.key}`, async () => {
        await submitReport(world.ctx, await officer(), idOf(t), reportBodySchema.parse(REPORT), world.meta());
      });
    }
  }
}

function planCorrection(world: WorldContext, t: WorldTraining, s: HalfDaySession) {
  // Two days into the new month, or just before now when the month has only begun.
  const at = momentOf(addDays(`${monthOf(world.today)}-01`, 1), '10:10');
  world.timeline.at(at, `correction ${t.key}`, async () => {
    const input = correctionBodySchema.parse({ entry: { date: s.date, period: s.period, status: 'absent', reason: 'sickness', justified: true }, reason: CORRECTION_REASON });
    await correctAttendance(world.ctx, await world.actor(OFFICERS[t.organisation]), idOf(t), monthOf(s.date), input, world.meta());
  });
}

/**
 * Declaration days: every Friday, every month's last day and yesterday, plus a withdrawal's day.
 * Formapro's Fridays go through one CSV file for all its trainings; other days through the grid.
 * Each finished month is transmitted on its last day, after that day's declarations.
 */
function planDeclarations(
  world: WorldContext,
  followed: Array<{ t: WorldTraining; closedOn: string | null; sessions: HalfDaySession[] }>,
  forced: Map<string, Map<string, Omit<AttendanceEntry, 'date' | 'period'>>>,
) {
  const yesterday = world.day(-1);
  const first = followed.map((f) => f.t.startDate).sort()[0]!;
  const declared = new Map<string, number>(followed.map((f) => [f.t.key, 0]));
  for (let day = first; day <= yesterday; day = addDays(day, 1)) {
    const friday = isoWeekday(day) === 5;
    const monthEnd = day === lastDayOfMonth(day);
    const closing = followed.filter((f) => f.closedOn === day);
    if (!friday && !monthEnd && day !== yesterday && closing.length === 0) continue;
    const d = day;
    world.timeline.at(momentOf(d, '16:30'), `assiduité du ${d}`, async () => {
      const csv: string[] = [];
      for (const f of followed) {
        const done = declared.get(f.t.key)!;
        const due = f.sessions.slice(done).filter((s) => s.date <= d);
        if (due.length === 0) continue;
        declared.set(f.t.key, done + due.length);
        const entries = due.map((s) => entryOf(f.t.key, s, forced.get(f.t.key)!));
        if (friday && f.t.organisation === 'formapro') {
          csv.push(...entries.map((e) => csvLine(f.t.identifier, f.t.session, e)));
          continue;
        }
        await saveAttendance(world.ctx, await world.actor(OFFICERS[f.t.organisation]), idOf(f.t), attendanceBodySchema.parse({ entries }).entries, world.meta());
      }
      if (csv.length) await importAttendanceCsv(world.ctx, await world.actor(OFFICERS.formapro), [CSV_HEADER, ...csv].join('\n'), world.meta());
    });
    if (monthEnd) {
      world.timeline.at(momentOf(d, '17:00'), `états de présence de ${monthOf(d)}`, async () => {
        for (const f of followed) {
          if (f.t.startDate > d || !f.sessions.some((s) => monthOf(s.date) === monthOf(d))) continue;
          await submitStatement(world.ctx, await world.actor(OFFICERS[f.t.organisation]), idOf(f.t), monthOf(d), world.meta());
        }
      });
    }
  }
}
