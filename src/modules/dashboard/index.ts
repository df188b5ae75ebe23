/** The dashboards as the application registers them: the API figures and the /kairos page; their figures for the statistics export. */
export { dashboardRoutes, dashboardReaders } from './routes.js';
export { dashboardPages } from './pages.js';
export { dashboardFor } from './service.js';
export { dashboardQuery } from './schemas.js';
export type { Dashboard } from './schemas.js';
export { registerDashboardJobs, refreshDashboardFigures } from './jobs.js';
