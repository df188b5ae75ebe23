/** The block of the candidate's home (/mon-espace) that offers their data: plain links, no script. */
import type { ComponentChildren } from 'preact';

export async function dataExportSpaceSection(): Promise<ComponentChildren> {
  return (
    <>
      <p>
        Téléchargez tout ce que Kairos conserve sur vous : compte, dossier, devis et leur historique, formations, présences,
        demandes d’assistance et journal des accès à votre dossier. Voir aussi la <a href="/confidentialite">politique de confidentialité</a>.
      </p>
      <ul class="list-inline">
        <li class="list-inline-item"><a class="btn btn-outline-primary" href="/api/v1/me/data-export" download="mes-donnees-kairos.json">Télécharger mes données (JSON complet)</a></li>
        <li class="list-inline-item"><a class="btn btn-outline-primary" href="/api/v1/me/data-export.pdf" download="mes-donnees-kairos.pdf">Télécharger le résumé (PDF)</a></li>
      </ul>
    </>
  );
}
