/**
 * Money (and other two-decimal quantities) for quotes. Amounts are integer cents everywhere
 * except the JSON edge, where the public contract uses euros with at most 2 decimals.
 */

/** 10 000 000 €: above any training budget, well inside exact integer arithmetic. */
export const MAX_AMOUNT_CENTS = 1_000_000_000;

export type DecimalRefusal = 'not_a_number' | 'too_many_decimals' | 'negative' | 'too_large';
export type DecimalResult = { ok: true; hundredths: number } | { ok: false; code: DecimalRefusal };
export type EurosResult = { ok: true; cents: number } | { ok: false; code: DecimalRefusal };

// Spaces a French user or Intl itself puts between thousands: space, no-break, narrow no-break.
const GROUPING_SPACES = /[ \u00a0\u202f]/g;
const DECIMAL_TEXT = /^(\d+)(?:[.,](\d*))?$/;

function parseNumber(value: number, max: number): DecimalResult {
  if (!Number.isFinite(value)) return { ok: false, code: 'not_a_number' };
  if (value < 0) return { ok: false, code: 'negative' };
  const hundredths = Math.round(value * 100);
  // k / 100 is the double nearest to the decimal k/100, exactly as the JSON parser rounds "12.34":
  // equality therefore means the number was written with at most 2 decimals.
  if (hundredths / 100 !== value) return { ok: false, code: 'too_many_decimals' };
  if (hundredths > max) return { ok: false, code: 'too_large' };
  return { ok: true, hundredths: hundredths + 0 };
}

function parseText(value: string, max: number): DecimalResult {
  const compact = value.trim().replace(GROUPING_SPACES, '');
  if (/^-\d/.test(compact)) return { ok: false, code: 'negative' };
  const m = DECIMAL_TEXT.exec(compact);
  if (!m) return { ok: false, code: 'not_a_number' };
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) return { ok: false, code: 'too_many_decimals' };
  const integer = m[1].replace(/^0+(?=\d)/, '');
  // Compare lengths first: a 400-digit string must not go through Number().
  if (integer.length > String(Math.floor(max / 100)).length) return { ok: false, code: 'too_large' };
  const hundredths = Number(integer) * 100 + Number(fraction.padEnd(2, '0'));
  return hundredths > max ? { ok: false, code: 'too_large' } : { ok: true, hundredths };
}

/**
 * A non-negative quantity with at most 2 decimals, as an integer number of hundredths.
 * Text accepts the French comma and grouping spaces ("1 234,5"), as typed in a form.
 */
export function parseHundredths(value: unknown, max: number): DecimalResult {
  if (typeof value === 'number') return parseNumber(value, max);
  if (typeof value === 'string') return parseText(value, max);
  return { ok: false, code: 'not_a_number' };
}

/** Euros (number or text) → integer cents, refusing NaN, negatives, > 2 decimals and > 10 000 000 €. */
export function parseEuros(value: unknown): EurosResult {
  const r = parseHundredths(value, MAX_AMOUNT_CENTS);
  return r.ok ? { ok: true, cents: r.hundredths } : r;
}

/** `parseEuros` for trusted input: "1234.5" and 1234.5 → 123450; throws RangeError otherwise. */
export function eurosToCents(value: string | number): number {
  const r = parseEuros(value);
  if (!r.ok) throw new RangeError(`Invalid euro amount (${r.code}): ${String(value)}`);
  return r.cents;
}

/** Cents → euros for the JSON contract: 123450 → 1234.5. */
export function centsToEuros(cents: number): number {
  assertSafeInteger(cents, 'cents');
  return cents / 100;
}

/** Hours with at most 2 decimals → hundredths of an hour (35.5 → 3550), or null. */
export function hoursToHundredths(hours: number, maxHours = 2000): number | null {
  const r = parseHundredths(hours, maxHours * 100);
  return r.ok ? r.hundredths : null;
}

function assertSafeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a safe integer: ${n}`);
}

// U+202F (narrow no-break space) groups thousands and U+00A0 precedes the sign, as Intl 'fr-FR'
// prints with current ICU. Built by hand so the text does not change with Node's ICU version.
const THOUSANDS = '\u202f';

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, THOUSANDS);
}

/** A decimal count of hundredths in French: 123450 → '1 234,50' (always 2 decimals). */
export function formatHundredths(hundredths: number): string {
  assertSafeInteger(hundredths, 'hundredths');
  const abs = Math.abs(hundredths);
  const text = `${groupThousands(String(Math.floor(abs / 100)))},${String(abs % 100).padStart(2, '0')}`;
  return hundredths < 0 ? `-${text}` : text;
}

/** 123450 → '1 234,50 €' (narrow no-break space for thousands, no-break space before €). */
export function formatEuros(cents: number): string {
  return `${formatHundredths(cents)}\u00a0€`;
}

/**
 * Pedagogical cost = hours × hourly rate (docs/product/quotes.md#amounts), exact to the cent.
 * hours in hundredths of an hour (35.5 h → 3550), rate in cents per hour.
 * The product is in 1/100 of a cent; it is rounded HALF UP to the cent (arrondi commercial),
 * the ROUND(x;2) an organisation's spreadsheet applies: 35,5 h × 12,33 € = 437,715 → 437,72 €.
 * BigInt keeps the product exact whatever the magnitudes.
 */
export function pedagogicalCostCents(hoursHundredths: number, hourlyRateCents: number): number {
  assertSafeInteger(hoursHundredths, 'hoursHundredths');
  assertSafeInteger(hourlyRateCents, 'hourlyRateCents');
  if (hoursHundredths < 0 || hourlyRateCents < 0) throw new RangeError('Hours and rate must not be negative');
  return Number((BigInt(hoursHundredths) * BigInt(hourlyRateCents) + 50n) / 100n);
}
