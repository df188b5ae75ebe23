/** Answers shared by the quote routes, pages and services. */
export const QUOTE_NOT_FOUND = 'Ce devis est introuvable.';

/**
 * One answer for an unknown identifier and for a name or birth date that does not match: an
 * organisation must not learn that an identifier exists, only that the trio is wrong.
 */
export const CANDIDATE_UNMATCHED = 'Candidat : aucun candidat ne correspond à cet identifiant, ce nom et cette date de naissance. Vérifiez les trois sur la convocation du candidat.';

export const notADraft = (status: string) =>
  `Ce devis n’est plus modifiable : seul un brouillon peut l’être (statut actuel : ${status}). Rechargez la page pour voir son état actuel.`;

export const staleVersion = (expected: number, current: number) =>
  `Ce devis a changé entre-temps : vous avez consulté la version ${expected}, la version actuelle est la ${current}. Rechargez la page, vérifiez-la puis décidez à nouveau.`;
