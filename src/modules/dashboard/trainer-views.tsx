/** The trainer's block: today's sheets to open, present and close, those left open, the week. */
import { PERIOD_LABELS } from '../training/rules.js';
import { formatNumber } from './charts.js';
import type { Dashboard } from './schemas.js';
import { Stat, TodoList } from './views.js';

const day = (iso: string) => iso.split('-').reverse().join('/');
const SHEET_STATE = { open: 'ouverte', closed: 'close' } as const;

export function TrainerBlock({ block }: { block: NonNullable<Dashboard['trainer']> }) {
  return (
    <section aria-labelledby="bloc-formateur" class="mb-5" id="tableau-formateur">
      <h2 id="bloc-formateur" class="h4">Tableau de bord du formateur</h2>
      <TodoList id="formateur" todo={block.todo} />
      <div class="row g-3 mb-3">
        <Stat label={`Sessions cette semaine (du ${day(block.week.from)} au ${day(block.week.to)})`} value={formatNumber(block.week.sessions)} />
        <Stat label="Demi-journées prévues cette semaine" value={formatNumber(block.week.halfDays)} />
        <Stat label="Feuilles des jours passés encore ouvertes" value={formatNumber(block.pastOpenSheets)} />
      </div>
      <section aria-labelledby="demi-journees-du-jour" class="mb-4">
        <h3 id="demi-journees-du-jour" class="h5">Demi-journées d’aujourd’hui</h3>
        {block.today.length === 0 ? (
          <p>Aucune demi-journée n’est prévue aujourd’hui dans votre organisme.</p>
        ) : (
          <table class="table table-sm" data-today-sheets="">
            <caption class="visually-hidden">Demi-journées prévues aujourd’hui et leur feuille d’émargement</caption>
            <thead>
              <tr><th scope="col">Session</th><th scope="col">Demi-journée</th><th scope="col" class="text-end">Stagiaires prévus</th><th scope="col">Feuille d’émargement</th></tr>
            </thead>
            <tbody>
              {block.today.map((h) => (
                <tr data-session={h.session} data-period={h.period}>
                  <th scope="row">{h.session}</th>
                  <td>{PERIOD_LABELS[h.period]} ({h.startsAt}–{h.endsAt})</td>
                  <td class="text-end">{formatNumber(h.trainees)}</td>
                  <td>{h.sheetId && h.sheetStatus ? <a href={`/kairos/emargement/${h.sheetId}`}>{SHEET_STATE[h.sheetStatus]}</a> : <a href="/kairos/emargement">pas encore ouverte : l’ouvrir</a>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
