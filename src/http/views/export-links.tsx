/**
 * The « Exporter » links of a list, a grid or a dashboard: plain download links to
 * /api/v1/exports/<kind>.<csv|xlsx> with the page's current filters (the session cookie
 * authenticates them; they work without JavaScript). Only filters the export accepts are passed.
 */
export function ExportLinks({ kind, filters, label }: { kind: 'quotes' | 'trainings' | 'attendance' | 'statistics'; filters: Record<string, string | undefined | null>; label: string }) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const query = params.toString();
  const href = (ext: 'csv' | 'xlsx') => `/api/v1/exports/${kind}.${ext}${query ? `?${query}` : ''}`;
  return (
    <p class="d-flex flex-wrap gap-2" data-exports={kind}>
      <a class="btn btn-outline-secondary" href={href('csv')} download>Exporter (CSV)<span class="visually-hidden"> : {label}</span></a>
      <a class="btn btn-outline-secondary" href={href('xlsx')} download>Exporter (XLSX)<span class="visually-hidden"> : {label}, pour Excel</span></a>
    </p>
  );
}
