/** The dashboards' blocks: « À faire », then each figure as a chart with its table beside it. */
import type { ComponentChildren } from 'preact';
import { BarChart, LineChart, formatDays, formatMonth, formatNumber, formatRate } from './charts.js';
import type { Dashboard } from './schemas.js';
import { ORGANISATION_SORTS } from './repository.js';

type Todo = NonNullable<Dashboard['organisation']>['todo'];
const day = (iso: string) => iso.split('-').reverse().join('/');

export function TodoList({ id, todo }: { id: string; todo: Todo }) {
  const open = todo.filter((t) => t.count > 0);
  return (
    <section aria-labelledby={`${id}-a-faire`} class="mb-4">
      <h3 id={`${id}-a-faire`} class="h5">À faire</h3>
      {open.length === 0 ? (
        <p class="alert alert-success" data-rien-a-faire="">Rien à faire aujourd’hui.</p>
      ) : null}
      <ul class="list-group" data-todo={id}>
        {todo.map((t) => (
          <li class="list-group-item d-flex align-items-center gap-3" data-code={t.code} data-count={t.count}>
            <span class={`badge todo-count ${t.count > 0 ? 'text-bg-warning' : 'text-bg-light'}`}>{formatNumber(t.count)}</span>
            {t.count > 0 ? <a href={t.href}>{t.label}</a> : <span>{t.label}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A figure: its chart (an image) and the table of the same numbers. */
function Figure({ id, title, chart, head, rows }: { id: string; title: string; chart: ComponentChildren; head: string[]; rows: Array<Array<string | ComponentChildren>> }) {
  return (
    <section aria-labelledby={id} class="mb-4" data-figure={id}>
      <h3 id={id} class="h5">{title}</h3>
      {rows.length === 0 ? (
        <p>Aucune donnée pour le moment.</p>
      ) : (
        <div class="row g-3 align-items-start">
          <div class="col-lg-7">{chart}</div>
          <div class="col-lg-5">
            <table class="table table-sm">
              <caption class="visually-hidden">{title} (tableau des données)</caption>
              <thead>
                <tr>{head.map((h, i) => <th scope="col" class={i > 0 ? 'text-end' : ''}>{h}</th>)}</tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>{r.map((c, i) => (i === 0 ? <th scope="row">{c}</th> : <td class="text-end">{c}</td>))}</tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

export function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div class="col-sm-6 col-lg-3">
      <div class="card h-100"><div class="card-body"><p class="card-text small mb-1">{label}</p><p class="h4 mb-0">{value}</p></div></div>
    </div>
  );
}

export function OrganisationBlock({ block }: { block: NonNullable<Dashboard['organisation']> }) {
  const q = block.quotes;
  const t = block.training;
  return (
    <section aria-labelledby="bloc-organisme" class="mb-5" id="tableau-organisme">
      <h2 id="bloc-organisme" class="h4">Tableau de bord de l’organisme</h2>
      <TodoList id="organisme" todo={block.todo} />
      {q ? (
        <>
          <div class="row g-3 mb-3">
            <Stat label="Taux de validation (validés / décidés)" value={formatRate(q.approvalRate)} />
            <Stat label="Délai médian soumission → décision" value={formatDays(q.medianDecisionDays)} />
            <Stat label="Devis validés" value={formatNumber(q.approved)} />
            <Stat label="Devis refusés" value={formatNumber(q.refused)} />
          </div>
          <Figure
            id="devis-par-statut"
            title="Devis par statut"
            chart={<BarChart id="graphique-devis" title="Devis par statut" desc={q.byStatus.map((s) => `${s.label} : ${s.count}`).join(' ; ')} data={q.byStatus.map((s) => ({ label: s.label, value: s.count, text: formatNumber(s.count) }))} />}
            head={['Statut', 'Devis']}
            rows={q.byStatus.every((s) => s.count === 0) ? [] : q.byStatus.map((s) => [s.label, formatNumber(s.count)])}
          />
        </>
      ) : null}
      {t ? (
        <>
          <Figure
            id="assiduite-par-session"
            title={`Assiduité par session Carif-Oref du ${day(t.from)} au ${day(t.to)}`}
            chart={<BarChart id="graphique-assiduite" title="Taux d’assiduité par session" desc={t.attendanceBySession.map((s) => `${s.session} : ${formatRate(s.rate)}`).join(' ; ')} domainMax={1} data={t.attendanceBySession.map((s) => ({ label: s.session, value: s.rate ?? 0, text: formatRate(s.rate) }))} />}
            head={['Session', 'Demi-journées déclarées', 'Présent ou en retard', 'Taux']}
            rows={t.attendanceBySession.map((s) => [s.session, formatNumber(s.recorded), formatNumber(s.attended), formatRate(s.rate)])}
          />
          <Withdrawals id="abandons-organisme" rows={t.withdrawalsByReason} />
        </>
      ) : null}
    </section>
  );
}

function Withdrawals({ id, rows }: { id: string; rows: Array<{ reason: string; label: string; count: number }> }) {
  return (
    <Figure
      id={id}
      title="Abandons par motif"
      chart={<BarChart id={`graphique-${id}`} title="Abandons par motif" desc={rows.map((r) => `${r.label} : ${r.count}`).join(' ; ')} data={rows.map((r) => ({ label: r.label, value: r.count, text: formatNumber(r.count) }))} />}
      head={['Motif', 'Abandons']}
      rows={rows.every((r) => r.count === 0) ? [] : rows.map((r) => [r.label, formatNumber(r.count)])}
    />
  );
}

export function AdvisorBlock({ block }: { block: NonNullable<Dashboard['advisor']> }) {
  return (
    <section aria-labelledby="bloc-conseiller" class="mb-5" id="tableau-conseiller">
      <h2 id="bloc-conseiller" class="h4">Tableau de bord du conseiller</h2>
      <TodoList id="conseiller" todo={block.todo} />
      <Figure
        id="file-par-attente"
        title="File des devis à décider, par durée d’attente"
        chart={<BarChart id="graphique-file" title="Devis à décider par durée d’attente" desc={block.queueByWaiting.map((b) => `${b.label} : ${b.count}`).join(' ; ')} data={block.queueByWaiting.map((b) => ({ label: b.label, value: b.count, text: formatNumber(b.count) }))} />}
        head={['Attente', 'Devis']}
        rows={block.queueByWaiting.every((b) => b.count === 0) ? [] : block.queueByWaiting.map((b) => [<a href={`/conseiller/devis?minWaitingDays=${b.minDays}`}>{b.label}</a>, formatNumber(b.count)])}
      />
      <section aria-labelledby="stagiaires-en-difficulte" class="mb-4">
        <h3 id="stagiaires-en-difficulte" class="h5">Vos stagiaires en difficulté</h3>
        {block.atRisk.length === 0 ? (
          <p>Aucun de vos stagiaires en formation n’est sous 80 % d’assiduité ni n’a d’absence injustifiée ce mois-ci.</p>
        ) : (
          <table class="table table-sm">
            <caption class="visually-hidden">Stagiaires en difficulté</caption>
            <thead><tr><th scope="col">Stagiaire</th><th scope="col" class="text-end">Assiduité</th><th scope="col" class="text-end">Absences injustifiées ce mois-ci</th></tr></thead>
            <tbody>
              {block.atRisk.map((r) => (
                <tr><th scope="row"><a href={`/kairos/formations/${r.trainingId}`}>{r.lastName} {r.firstName} ({r.identifier})</a></th><td class="text-end">{formatRate(r.rate)}</td><td class="text-end">{formatNumber(r.unjustified)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
        <p>Alertes des 30 derniers jours : {block.alerts.map((a) => `${a.label} ${formatNumber(a.count)}`).join(', ')}.</p>
        <p class="form-text">Assiduité des stagiaires mise à jour toutes les 10 minutes.</p>
      </section>
    </section>
  );
}

const SORT_LABELS: Record<(typeof ORGANISATION_SORTS)[number], string> = { retards: 'bilans en retard', abandons: 'abandons', assiduite: 'assiduité la plus faible', nom: 'nom' };

export function AgencyBlock({ block }: { block: NonNullable<Dashboard['agency']> }) {
  const months = block.pipeline.map((p) => p.month);
  const o = block.organisations;
  return (
    <section aria-labelledby="bloc-agence" class="mb-5" id="tableau-agence">
      <h2 id="bloc-agence" class="h4">Tableau de bord de l’agence</h2>
      <TodoList id="agence" todo={block.todo} />
      <div class="row g-3 mb-3">
        <Stat label="Délai médian soumission → décision (12 mois)" value={formatDays(block.decisionDelay.medianDays)} />
        <Stat label="9ᵉ décile du délai (12 mois)" value={formatDays(block.decisionDelay.p90Days)} />
        <Stat label={`Assiduité du ${day(block.attendance.from)} au ${day(block.attendance.to)}`} value={formatRate(block.attendance.rate)} />
        <Stat label="Décisions (12 mois)" value={formatNumber(block.decisionDelay.decided)} />
      </div>
      <Figure
        id="devis-par-mois"
        title="Devis soumis, validés et refusés par mois"
        chart={
          <LineChart
            id="graphique-mois"
            title="Devis soumis, validés et refusés par mois"
            desc={block.pipeline.map((p) => `${formatMonth(p.month)} : ${p.submitted} soumis, ${p.approved} validés, ${p.refused} refusés`).join(' ; ')}
            months={months}
            series={[
              { key: 'submitted', label: 'soumis', values: block.pipeline.map((p) => p.submitted) },
              { key: 'approved', label: 'validés', values: block.pipeline.map((p) => p.approved) },
              { key: 'refused', label: 'refusés', values: block.pipeline.map((p) => p.refused) },
            ]}
          />
        }
        head={['Mois', 'Soumis', 'Validés', 'Refusés']}
        rows={block.pipeline.map((p) => [formatMonth(p.month), formatNumber(p.submitted), formatNumber(p.approved), formatNumber(p.refused)])}
      />
      <p class="form-text">Assiduité de tous les organismes mise à jour toutes les 10 minutes.</p>
      <Withdrawals id="abandons-agence" rows={block.withdrawalsByReason} />
      <section aria-labelledby="par-organisme" class="mb-4">
        <h3 id="par-organisme" class="h5">Assiduité, abandons et bilans en retard par organisme</h3>
        <p>
          Trié par {SORT_LABELS[o.sort]}. Trier par :{' '}
          {ORGANISATION_SORTS.map((s, i) => (
            <>
              {i > 0 ? ', ' : ''}
              {s === o.sort ? <strong aria-current="true">{SORT_LABELS[s]}</strong> : <a href={`/kairos?tri=${s}#par-organisme`}>{SORT_LABELS[s]}</a>}
            </>
          ))}
          .
        </p>
        <table class="table table-sm" data-sort={o.sort}>
          <caption class="visually-hidden">Organismes, triés par {SORT_LABELS[o.sort]}</caption>
          <thead>
            <tr>
              <th scope="col" aria-sort={o.sort === 'nom' ? 'ascending' : undefined}>Organisme</th>
              <th scope="col" class="text-end" aria-sort={o.sort === 'retards' ? 'descending' : undefined}>Bilans en retard</th>
              <th scope="col" class="text-end" aria-sort={o.sort === 'assiduite' ? 'ascending' : undefined}>Assiduité</th>
              <th scope="col" class="text-end" aria-sort={o.sort === 'abandons' ? 'descending' : undefined}>Abandons</th>
              {block.withdrawalsByReason.map((r) => <th scope="col" class="text-end">{r.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {o.rows.map((r) => (
              <tr data-organisation={r.id}>
                <th scope="row">{r.name}</th>
                <td class="text-end">{formatNumber(r.overdueReports)}</td>
                <td class="text-end">{formatRate(r.attendance.rate)}</td>
                <td class="text-end">{formatNumber(r.withdrawals)}</td>
                {block.withdrawalsByReason.map((w) => <td class="text-end">{formatNumber(r.withdrawalsByReason[w.reason] ?? 0)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </section>
  );
}
