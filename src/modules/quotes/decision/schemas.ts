/**
 * The candidate's answer and the advisor's decision, as the API and the decision forms send
 * them; the routes declare these, the service gets typed input.
 */
import { z } from 'zod';
import { formField } from '../../../http/forms.js';
import { emptyIfAbsent } from '../../../http/schemas.js';

const comment = (label: string) =>
  z
    .string({ error: `${label} : texte attendu.` })
    .trim()
    .max(2000, `${label} : 2 000 caractères au maximum.`)
    .nullish()
    .transform((v) => (v ? v : null));

const version = z
  .number({ error: 'Version (version) : nombre entier attendu (la version du devis que vous avez consultée).' })
  .int('Version (version) : nombre entier attendu.')
  .min(1, 'Version (version) : 1 au minimum.')
  .optional();

const candidateChoice = z.enum(['accept', 'decline'], {
  error: (iss) => (iss.input === undefined ? 'Décision (decision) : champ obligatoire.' : 'Décision (decision) : « accept » (accepter) ou « decline » (décliner).'),
});

const advisorChoice = z.enum(['approve', 'refuse', 'request_changes'], {
  error: (iss) =>
    iss.input === undefined ? 'Décision (decision) : champ obligatoire.' : 'Décision (decision) : « approve » (valider), « refuse » (refuser) ou « request_changes » (demander des modifications).',
});

export const candidateDecisionSchema = z.strictObject({ decision: candidateChoice, comment: comment('Commentaire (comment)'), version });
export type CandidateDecisionInput = z.output<typeof candidateDecisionSchema>;

export const advisorDecisionSchema = z.strictObject({ decision: advisorChoice, reason: comment('Motif (reason)'), version });
export type AdvisorDecisionInput = z.output<typeof advisorDecisionSchema>;

/** Left out, the body is judged as `{}`: the decision is then named as missing. */
export const candidateDecisionBody = emptyIfAbsent(candidateDecisionSchema);
export const advisorDecisionBody = emptyIfAbsent(advisorDecisionSchema);

// The decision forms send text: an empty choice is a missing one, a blank text none, and the
// version the page was rendered with is a number when it reads as one (else refused in French).

const choiceText = formField(20).transform((v): string | undefined => v || undefined);
const commentText = formField(10_000).transform((v): string | null | undefined => (v.trim() ? v : null));
const versionText = formField(20).transform((v): number | string | undefined => {
  const t = v.trim();
  if (!t) return undefined;
  return /^\d{1,9}$/.test(t) ? Number(t) : t;
});

export const candidateDecisionForm = z.object({
  decision: choiceText.pipe(candidateChoice),
  comment: commentText.pipe(comment('Commentaire (comment)')),
  version: versionText.pipe(version),
});

export const advisorDecisionForm = z.object({
  decision: choiceText.pipe(advisorChoice),
  reason: commentText.pipe(comment('Motif (reason)')),
  version: versionText.pipe(version),
});

/** The confirmation chosen by a redirect (`fait`) on the decision pages. */
export const decisionPageQuery = z.object({ fait: formField(40) });
