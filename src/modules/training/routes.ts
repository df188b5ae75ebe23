/**
 * Training follow-up API (docs/product/training-follow-up.md), one plugin per sub-domain:
 * trainings and their declarations (follow-up/), attendance and its CSV import (attendance/),
 * monthly statements and corrections (statements/), the advisor's alerts (alerts/); and the
 * candidate's own view under /api/v1/me/trainings. Access rules: see policy.ts.
 */
import type { FastifyInstance } from 'fastify';
import { alertRoutes } from './alerts/routes.js';
import { attendanceRoutes, myAttendanceRoutes } from './attendance/routes.js';
import { followUpRoutes, myFollowUpRoutes } from './follow-up/routes.js';
import { myStatementRoutes, statementRoutes } from './statements/routes.js';
import { attendanceSheetRoutes } from './sheets/routes.js';

/** Staff routes: organisations (attendance officers write, readers read) and advisors (read). */
export async function trainingRoutes(app: FastifyInstance): Promise<void> {
  await app.register(followUpRoutes);
  await app.register(attendanceRoutes);
  await app.register(statementRoutes);
  await app.register(alertRoutes);
  await app.register(attendanceSheetRoutes);
}

/** The candidate's own trainings (never anyone else's: the scope is their account). */
export async function myTrainingRoutes(app: FastifyInstance): Promise<void> {
  await app.register(myFollowUpRoutes);
  await app.register(myAttendanceRoutes);
  await app.register(myStatementRoutes);
}
