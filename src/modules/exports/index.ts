/** Spreadsheet exports (CSV, XLSX) of the quote and training lists, the attendance grid and the dashboard. */
export { exportRoutes } from './routes.js';
