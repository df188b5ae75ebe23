/**
 * The privacy notice, /confidentialite (RGPD art. 13 and 14), public and linked from every page's
 * footer. The retention periods shown are the configured ones (docs/product/security.md#retention),
 * so the notice cannot drift from what the jobs do; the controller is the operator of the branding
 * configuration.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../../config.js';
import { sendPage } from '../../../http/render.js';
import { publicAccess } from '../../habilitations/policy.js';

const years = (n: number) => `${n} an${n > 1 ? 's' : ''}`;

function PrivacyNotice({ config }: { config: Config }) {
  const r = config.retention;
  const rows: Array<[string, string, string]> = [
    ['Dossier du candidat (identité, devis, formation, présences, bilan)', `jusqu’à la clôture du dossier, puis ${years(r.dossierYears)} après le dernier bilan`, 'anonymisé : seules restent des données statistiques sans identité'],
    ['Journal d’audit (connexions, consultations, modifications)', `${r.auditDays} jours`, 'supprimé, les lignes les plus anciennes en premier'],
    ['Références d’erreur (heure, page, navigateur)', '30 jours', 'supprimées'],
    ['Courriels envoyés (texte conservé pour l’assistance)', `${r.finishedJobDays} jours après l’envoi`, 'supprimés'],
    ['Décomptes de consultations (détection des accès massifs)', 'un jour', 'supprimés'],
    ['Courrier d’activation d’un compte', 'jusqu’à son envoi', 'son contenu est effacé'],
    ['Compte personnel du candidat', 'tant que le dossier est ouvert', 'fermé et vidé lors de l’anonymisation'],
  ];
  return (
    <article>
      <h1 class="h3 mb-3">Confidentialité et données personnelles</h1>
      <p>
        Kairos est le service de <strong>{config.operatorName}</strong> ({config.operatorAddress}) pour le suivi des formations
        financées : devis, entrée en formation, présences, abandons et bilans. {config.operatorName} est responsable du traitement.
      </p>

      <h2 class="h4 mt-4">Quelles données, et pourquoi</h2>
      <ul>
        <li><strong>Candidats</strong> : identifiant France Travail, nom, prénom, date de naissance, adresse électronique ; devis et leur historique, formation suivie, présences et absences (avec leur motif), états mensuels, abandon et son motif, bilan de fin de formation. Finalité : instruire la prise en charge de la formation et en suivre le déroulement.</li>
        <li><strong>Agents et personnels des organismes</strong> : identité, coordonnées professionnelles, habilitations. Finalité : donner à chacun les seuls accès dont il a besoin.</li>
        <li><strong>Tous les utilisateurs</strong> : connexions, consultations et modifications (journal d’audit, avec l’adresse IP), demandes d’assistance. Finalité : la sécurité du service et la preuve des actions.</li>
      </ul>

      <h2 class="h4 mt-4">Base légale</h2>
      <p>
        Mission d’intérêt public confiée à {config.operatorName} (RGPD, article 6-1-e) pour l’accompagnement des demandeurs d’emploi et le
        financement de leurs formations ; obligation légale (article 6-1-c) pour la sécurité et la traçabilité des accès.
      </p>

      <h2 class="h4 mt-4">Qui y a accès</h2>
      <ul>
        <li>Les conseillers de l’agence qui suivent le dossier du candidat.</li>
        <li>L’organisme de formation choisi, pour ses seuls devis et formations.</li>
        <li>Les administrateurs de l’agence et l’assistance, pour la sécurité et les demandes d’aide, dans la limite de leurs habilitations.</li>
      </ul>
      <p>
        Destinataires : aucune donnée n’est vendue ni cédée. Les organismes de formation ne reçoivent que ce qui concerne leurs formations ;
        un organisme peut recevoir des notifications de ses dossiers sur son propre système (webhooks signés). Chaque consultation
        d’un dossier de candidat est enregistrée dans le journal d’audit.
      </p>

      <h2 class="h4 mt-4">Durées de conservation</h2>
      <table class="table table-sm">
        <caption>Durée de conservation de chaque type de données</caption>
        <thead>
          <tr><th scope="col">Données</th><th scope="col">Conservées</th><th scope="col">Ensuite</th></tr>
        </thead>
        <tbody>
          {rows.map(([what, kept, then]) => (
            <tr><th scope="row">{what}</th><td>{kept}</td><td>{then}</td></tr>
          ))}
        </tbody>
      </table>

      <h2 class="h4 mt-4">Vos droits</h2>
      <p>
        Vous pouvez accéder à vos données, les faire rectifier, vous opposer à un traitement ou en demander la limitation
        (RGPD, articles 15 à 21). L’effacement s’applique dans les limites de la mission de service public et des durées ci-dessus.
      </p>
      <ul>
        <li><strong>Candidats</strong> : téléchargez vous-même toutes vos données depuis <a href="/mon-espace#mes-donnees">votre espace</a> (fichier JSON complet, ou résumé PDF).</li>
        <li>Pour une rectification ou toute autre demande : <a href="/support/demandes/nouvelle">une demande d’assistance</a> une fois connecté, ou un courrier à {config.operatorName}, délégué à la protection des données, {config.operatorAddress}.</li>
        <li>Si la réponse ne vous satisfait pas, vous pouvez saisir la CNIL (cnil.fr, 3 place de Fontenoy, 75007 Paris).</li>
      </ul>
    </article>
  );
}

export async function privacyPages(app: FastifyInstance): Promise<void> {
  app.get('/confidentialite', { config: { access: publicAccess } }, (request, reply) =>
    sendPage(request, reply, 'Confidentialité et données personnelles', () => <PrivacyNotice config={app.ctx.config} />),
  );
}
