/**
 * The training follow-up pages: the list and a training's page (with its declaration
 * forms), the monthly grid, the CSV import, and the candidate's own trainings.
 */
import type { FastifyInstance } from 'fastify';
import { trainingDetailPages } from './follow-up/detail-pages.js';
import { trainingGridPages } from './attendance/grid-pages.js';
import { trainingImportPages } from './attendance/import-pages.js';
import { trainingListPages } from './follow-up/list-pages.js';
import { trainingSpacePages } from './follow-up/me-pages.js';
import { attendanceSheetPages } from './sheets/pages.js';

export async function trainingPages(app: FastifyInstance): Promise<void> {
  await app.register(trainingListPages);
  await app.register(trainingDetailPages);
  await app.register(trainingGridPages);
  await app.register(trainingImportPages);
  await app.register(trainingSpacePages);
  await app.register(attendanceSheetPages);
}
