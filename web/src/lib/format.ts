import { frenchFirstOfMonth } from '$domain/french';

/**
 * Dates, numbers and lists in the user's language, with `Intl` only. A calendar date from the API
 * (`2026-03-03`) is a day, not a moment: it is formatted in UTC so that it never shifts by a day.
 */

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function toDate(value: string): Date {
  return DATE_ONLY.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
}

function zoneOf(value: string): { timeZone?: string } {
  return DATE_ONLY.test(value) ? { timeZone: 'UTC' } : {};
}

/** Today as a calendar date (`YYYY-MM-DD`) where the user is. */
export function todayIso(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A calendar date `days` after today (negative: before). */
export function addDaysIso(days: number, now = new Date()): string {
  const moment = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  return todayIso(moment);
}

/** Whether a due date has passed (strictly before today). */
export function isOverdue(dueOn: string | null, today = todayIso()): boolean {
  return dueOn !== null && dueOn < today;
}

/** A timestamp as the value of an `<input type="datetime-local">`, in local time. */
export function toDateTimeLocal(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${todayIso(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The formatters of one language. */
export function createFormatters(locale: string) {
  const cache = new Map<string, Intl.DateTimeFormat>();
  const dateFormat = (key: string, options: Intl.DateTimeFormatOptions) => {
    let format = cache.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, options);
      cache.set(key, format);
    }
    return format;
  };
  const numberFormat = new Intl.NumberFormat(locale);
  const languageNames = new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' });
  const andList = new Intl.ListFormat(locale, { type: 'conjunction' });
  const orList = new Intl.ListFormat(locale, { type: 'disjunction' });

  // French writes the first day of a month as an ordinal: « le 1er décembre », never « le 1 décembre ».
  const firstOfMonth = locale.startsWith('fr') ? frenchFirstOfMonth : (text: string) => text;

  return {
    locale,
    /** 3 March 2026 */
    date(value: string | null | undefined): string {
      if (!value) return '';
      const zone = zoneOf(value);
      return firstOfMonth(
        dateFormat(`date${zone.timeZone ?? ''}`, { dateStyle: 'long', ...zone }).format(toDate(value)),
      );
    },
    /** 03/03/2026, for tight places */
    shortDate(value: string | null | undefined): string {
      if (!value) return '';
      const zone = zoneOf(value);
      return dateFormat(`short${zone.timeZone ?? ''}`, { dateStyle: 'medium', ...zone }).format(
        toDate(value),
      );
    },
    /** 3 March (and the year when it is not this year) */
    dayMonth(value: string | null | undefined, now = new Date()): string {
      if (!value) return '';
      const date = toDate(value);
      const zone = zoneOf(value);
      const sameYear = date.getUTCFullYear() === now.getUTCFullYear();
      const key = `dm${sameYear ? '' : 'y'}${zone.timeZone ?? ''}`;
      return firstOfMonth(
        dateFormat(key, {
          day: 'numeric',
          month: 'long',
          ...(sameYear ? {} : { year: 'numeric' }),
          ...zone,
        }).format(date),
      );
    },
    /** 3 March 2026 at 14:30 */
    dateTime(value: string | null | undefined): string {
      if (!value) return '';
      return firstOfMonth(
        dateFormat('dateTime', { dateStyle: 'long', timeStyle: 'short' }).format(toDate(value)),
      );
    },
    /** 14:30 */
    time(value: string | null | undefined): string {
      if (!value) return '';
      return dateFormat('time', { timeStyle: 'short' }).format(toDate(value));
    },
    number(value: number): string {
      return numberFormat.format(value);
    },
    /** "fr" → "French"; a tag that `Intl` does not know (or cannot read) as it is. */
    language(tag: string): string {
      try {
        return languageNames.of(tag) ?? tag;
      } catch {
        return tag;
      }
    },
    /** "goals, actions and the network" */
    list(items: readonly string[]): string {
      return andList.format(items);
    },
    /** "goals, actions or the network" */
    orList(items: readonly string[]): string {
      return orList.format(items);
    },
  };
}

export type Formatters = ReturnType<typeof createFormatters>;
