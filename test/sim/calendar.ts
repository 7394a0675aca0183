/** Time units and the simulated span: whole UTC days starting at a UTC midnight. */
export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The simulated time span. */
export interface SimWindow {
  /** UTC midnight the simulation starts at, ms epoch. */
  startMs: number;
  /** Number of whole days simulated. */
  days: number;
  /** 0-based day on which the planted attacks begin. */
  attackDay: number;
}

/** UTC midnight starting day `day` of the window (day may be -1 or `days`). */
export function dayStart(window: SimWindow, day: number): number {
  return window.startMs + day * DAY_MS;
}

export function windowEnd(window: SimWindow): number {
  return window.startMs + window.days * DAY_MS;
}

/** `YYYY-MM-DD` of the UTC calendar day containing `ms`. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Monday to Friday for the UTC calendar day containing `ms`. */
export function isWorkday(ms: number): boolean {
  const weekday = new Date(ms).getUTCDay();
  return weekday >= 1 && weekday <= 5;
}
