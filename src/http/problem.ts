/**
 * An error meant for the user: its status and French detail are shown as they are
 * (RFC 9457 problem details for the API, the error page for HTML routes).
 */
export interface FieldError {
  field: string;
  message: string;
  code?: string;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export const TITLES: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Authentification requise',
  403: 'Accès refusé',
  404: 'Ressource introuvable',
  405: 'Méthode non autorisée',
  409: 'Conflit',
  413: 'Contenu trop volumineux',
  415: 'Format non pris en charge',
  422: 'Données invalides',
  429: 'Trop de tentatives',
  500: 'Erreur interne',
  503: 'Service indisponible',
};

export const problems = {
  badRequest: (detail: string) => new HttpProblem(400, TITLES[400], detail),
  unauthenticated: () =>
    new HttpProblem(401, TITLES[401], 'Vous devez être connecté pour accéder à cette ressource. Connectez-vous puis réessayez.'),
  forbidden: (detail = "Vous n'avez pas l'habilitation nécessaire pour cette action. Demandez-la au responsable de gestion des comptes de votre organisme.") =>
    new HttpProblem(403, TITLES[403], detail),
  notFound: (detail = "Cette ressource n'existe pas ou vous n'y avez pas accès.") => new HttpProblem(404, TITLES[404], detail),
  conflict: (detail: string) => new HttpProblem(409, TITLES[409], detail),
  invalid: (errors: FieldError[], detail = 'Certaines données sont invalides : corrigez les champs indiqués puis réessayez.') =>
    new HttpProblem(422, TITLES[422], detail, errors),
  tooMany: (retryAfterSeconds: number, detail = 'Trop de tentatives. Patientez quelques instants avant de réessayer.') =>
    new HttpProblem(429, TITLES[429], detail, undefined, { 'retry-after': String(retryAfterSeconds) }),
};

export function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? TITLES[500] : TITLES[400]);
}

export function unexpectedFieldMessage(key: string): string {
  return `Le champ « ${key.slice(0, 50)} » n’est pas attendu : retirez-le.`;
}

interface IssueLike {
  path: ReadonlyArray<PropertyKey>;
  message: string;
  code?: string;
  keys?: readonly string[];
}

/**
 * Field errors from zod issues: one per field (the first, usually the most basic), and each
 * unexpected key named as a field of its own.
 */
export function fieldErrorsFrom(issues: ReadonlyArray<IssueLike>): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) out.push({ field: path ? `${path}.${key}` : key, message: unexpectedFieldMessage(key) });
      continue;
    }
    const field = path || '(corps)';
    if (!out.some((e) => e.field === field)) out.push({ field, message: issue.message });
  }
  return out;
}
