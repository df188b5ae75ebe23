/**
 * The demo world is played, not inserted: each step runs at its own moment of the past weeks,
 * with the services reading this clock, so dates, deadlines, audit rows and mails are those
 * the product would have produced. Steps are collected first, then run in time order.
 */
import { ManualClock } from '../../clock.js';
import { addDays, isoWeekday } from '../../modules/quotes/rules/holidays.js';

/** A moment of a Paris working day, written in UTC: 07:00–16:59 UTC is the same day in Paris. */
export function momentOf(day: string, utcTime: string): Date {
  return new Date(`${day}T${utcTime}:00.000Z`);
}

/** The first day on or after `day` that falls on `weekday` (1 Monday … 7 Sunday). */
export function onOrAfter(day: string, weekday: number): string {
  let d = day;
  while (isoWeekday(d) !== weekday) d = addDays(d, 1);
  return d;
}

/** The last day of `day`'s month. */
export function lastDayOfMonth(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m!, 0)).toISOString().slice(0, 10);
}

interface Step {
  at: Date;
  order: number;
  label: string;
  run: () => Promise<void>;
}

/**
 * The world's calendar: steps registered in any order, run by time (then registration order),
 * with the clock set to each step's moment. A step may register later steps (a training's
 * weekly attendance once it exists); a step is never set after the present (the moment seeding began).
 */
export class WorldTimeline {
  readonly clock: ManualClock;
  private readonly steps: Step[] = [];
  private registered = 0;

  constructor(private readonly present: Date) {
    this.clock = new ManualClock(present);
  }

  /** `label` names the step in the error if a service refuses it (the world is then broken). */
  at(at: Date, label: string, run: () => Promise<void>): void {
    const capped = at.getTime() <= this.present.getTime() ? at : this.present;
    this.steps.push({ at: capped, order: this.registered++, label, run });
  }

  async play(): Promise<number> {
    let played = 0;
    let last = Number.NEGATIVE_INFINITY;
    for (;;) {
      this.steps.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
      const next = this.steps.shift();
      if (!next) break;
      // Never backwards: a step registered during play for an earlier moment runs "now".
      last = Math.max(last, next.at.getTime());
      this.clock.set(new Date(last));
      try {
        await next.run();
      } catch (err) {
        throw new Error(`demo world, step « ${next.label} » at ${this.clock.now().toISOString()}: ${describe(err)}`, { cause: err });
      }
      played++;
    }
    this.clock.set(this.present);
    return played;
  }
}

function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'detail' in err) {
    const e = err as { detail?: string; errors?: unknown };
    return `${e.detail ?? ''} ${JSON.stringify(e.errors ?? '')}`;
  }
  return err instanceof Error ? err.message : String(err);
}
