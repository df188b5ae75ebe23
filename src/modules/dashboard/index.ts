/** The dashboards as the application registers them: the API figures and the /kairos page. */
export { dashboardRoutes } from './routes.js';
export { dashboardPages } from './pages.js';
export { registerDashboardJobs, refreshDashboardFigures } from './jobs.js';
