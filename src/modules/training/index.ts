/**
 * The training follow-up as other modules, the start-up and the demo data use it: its routes and
 * pages, its recurring job, the candidate's block for /mon-espace, the declaration services with
 * the schemas that check their input, and the attendance file format. Inside, four sub-domains
 * (docs/product/training-follow-up.md):
 * - follow-up/: the list, a training, entry, withdrawal, exit, report, overdue reminders, the
 *   candidate's own view;
 * - attendance/: half-day declarations, the monthly grid, the CSV import;
 * - statements/: monthly statements, corrections of a locked month, the PDF;
 * - alerts/: the advisor's alerts, raised by the three others.
 * The module root holds what they share: the scope (policy.ts), the pure rules (rules.ts), the
 * training record (repository.ts, service.ts), the JSON views and common schemas. Why this
 * layout and which way the sub-domains depend: docs/decisions/0024-training-sub-domains.md.
 */
export { trainingRoutes, myTrainingRoutes } from './routes.js';
export { trainingPages } from './pages.js';
export { trainingSpaceSection } from './follow-up/me-pages.js';
export { REPORT_REMINDERS, registerTrainingJobs, remindOverdueReports } from './follow-up/jobs.js';

export { declareEntry, declareExit, declareWithdrawal, getTraining, listTrainingsFor, submitReport, trainingsForExport } from './follow-up/service.js';
export { attendanceForExport } from './attendance/grid-service.js';
export { trainingReaders, organisationReaders as trainingOrganisationReaders } from './policy.js';
export { ABSENCE_LABELS, ATTENDANCE_LABELS, PERIOD_LABELS, STATUS_LABELS as TRAINING_STATUS_LABELS, WITHDRAWAL_LABELS } from './rules.js';
export { entryBodySchema, listQuerySchema, reportBodySchema, withdrawalBodySchema } from './follow-up/schemas.js';
export { getAttendance, saveAttendance } from './attendance/service.js';
export { importAttendanceCsv } from './attendance/import-service.js';
export { attendanceBodySchema, monthQuerySchema } from './attendance/schemas.js';
export { CSV_COLUMNS, CSV_HEADER, CSV_MAX_LINES } from './attendance/csv-rules.js';
export { correctAttendance, getStatement, statementPdf, submitStatement } from './statements/service.js';
export { correctionBodySchema } from './statements/schemas.js';
