/**
 * Arguments of `npm run seed:scale`, checked before anything opens the database: a bad one is
 * refused with a French message naming it, and nothing is written.
 */
export interface ScaleArgs {
  organisations: number;
  candidates: number;
  months: number;
}

/** Upper bounds: beyond them the numbers are typing mistakes, not benchmarks. */
export const SCALE_LIMITS: Record<keyof ScaleArgs, number> = {
  organisations: 100_000,
  // Generated identifiers are 7 digits and a letter (the format candidates have).
  candidates: 9_999_999,
  // A training longer than a few years is not a funded training.
  months: 36,
};

const FLAGS = Object.keys(SCALE_LIMITS) as Array<keyof ScaleArgs>;
const USAGE = 'Usage : npm run seed:scale -- --organisations N --candidates M --months K';

export type ParsedArgs = { ok: true; args: ScaleArgs } | { ok: false; message: string };

const groupThousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');

export function parseScaleArgs(argv: readonly string[]): ParsedArgs {
  const found: Partial<ScaleArgs> = {};
  const refuse = (message: string): ParsedArgs => ({ ok: false, message: `${message}\n${USAGE}` });
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const [flag, inline] = raw.startsWith('--') && raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    const name = flag.slice(2) as keyof ScaleArgs;
    if (!flag.startsWith('--') || !FLAGS.includes(name)) {
      return refuse(`Argument inconnu : ${raw} (attendus : ${FLAGS.map((f) => `--${f}`).join(', ')}).`);
    }
    if (found[name] !== undefined) return refuse(`${flag} est donné deux fois ; gardez-en un seul.`);
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i++;
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
      return refuse(`${flag} : valeur manquante ; indiquez un entier positif (exemple : ${flag} 10).`);
    }
    if (!/^\d+$/.test(value) || Number(value) < 1) return refuse(`${flag} doit être un entier positif (reçu : « ${value} »).`);
    const n = Number(value);
    if (n > SCALE_LIMITS[name]) return refuse(`${flag} : ${groupThousands(SCALE_LIMITS[name])} au maximum (reçu : ${value}).`);
    found[name] = n;
  }
  const missing = FLAGS.filter((f) => found[f] === undefined);
  if (missing.length > 0) return refuse(`${missing.map((f) => `--${f}`).join(', ')} : argument obligatoire manquant.`);
  return { ok: true, args: found as ScaleArgs };
}
