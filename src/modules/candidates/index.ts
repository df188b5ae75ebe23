/**
 * What other modules and the application use of the candidates module: its routes, the
 * candidate's data export (right of access) and its block of the candidate's home.
 */
export { candidateRoutes } from './routes.js';
export { dataExportRoutes } from './export-routes.js';
export { dataExportSpaceSection } from './export-section.js';
