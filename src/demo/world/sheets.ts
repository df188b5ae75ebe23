/**
 * Digital attendance sheets in the demo world (docs/decisions/0048-attendance-sheets.md): for
 * each half-day of the last two weeks of candidat.demo's training, formateur.demo opens the
 * sheet 20 minutes before the start, candidat.demo signs it with the code of the moment (on time
 * or a few minutes late, now and then only confirming), and the trainer signs and closes it
 * before the end. Played through the services, so the signatures, proposals, content hashes and
 * audit rows are those the product makes.
 */
import { closeSheetBy, getSheet, openSheet, signSheet } from '../../modules/training/sheets/service.js';
import { parisInstant, type SignatureInput } from '../../modules/training/sheets/rules.js';
import { halfDaySessions } from '../../modules/training/rules.js';
import type { WorldContext } from './context.js';

const MINUTE = 60_000;
/** A hand-drawn-looking signature, as the signature pad records it (600 × 220). */
const SIGNATURE: SignatureInput = {
  kind: 'drawn',
  paths: ['M40 150 C70 60 110 60 120 140 C130 190 160 120 190 90 L210 150', 'M230 120 C260 80 300 80 320 130 C340 170 380 100 420 110 L560 100'],
};

export function planSheets(world: WorldContext): void {
  const t = world.trainings.get('demo');
  if (!t) throw new Error('demo world: no training « demo » for the attendance sheets');
  const from = [world.day(-14), t.startDate].sort()[1]!;
  const halfDays = halfDaySessions(t.schedule, from, world.day(-1));
  halfDays.forEach((h, i) => {
    const start = parisInstant(h.date, h.from).getTime();
    const end = parisInstant(h.date, h.to).getTime();
    world.timeline.at(new Date(start - 20 * MINUTE), 'feuille d’émargement ouverte', async () => {
      const trainer = await world.actor('formateur.demo');
      const sheet = await openSheet(world.ctx, trainer, { session: t.session, date: h.date, period: h.period }, world.meta());
      // Mostly before the start; every fifth half-day seven minutes late; every fourth, a confirmation.
      const signAt = start + (i % 5 === 3 ? 7 : -(3 + (i % 7))) * MINUTE;
      world.timeline.at(new Date(signAt), 'émargement du stagiaire', async () => {
        const { token } = await getSheet(world.ctx, trainer, sheet.id, world.meta());
        const signature: SignatureInput = i % 4 === 2 ? { kind: 'confirmed' } : SIGNATURE;
        await signSheet(world.ctx, await world.actor('candidat.demo'), { token: token!, signature }, world.meta());
      });
      world.timeline.at(new Date(end - 10 * MINUTE), 'feuille d’émargement close', async () => {
        await closeSheetBy(world.ctx, trainer, sheet.id, SIGNATURE, world.meta());
      });
    });
  });
}
