import { ValidateBy, ValidationOptions } from 'class-validator';

/** RFC 3339 §5.6 `date-time`: full-date "T" full-time, with a Z or numeric offset. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

export const IS_RFC3339_DATE_TIME = 'isRfc3339DateTime';

/** The ledger records what happened in the Unix era; earlier times are data errors. */
const EARLIEST_YEAR = 1970;
/** Four-digit years only: stores and range queries compare times as RFC 3339 text in UTC. */
const LATEST_YEAR = 9999;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A real instant written as RFC 3339: the pattern alone lets through
 * February 30th or hour 24, which would then sort and compare wrongly.
 */
export function isRfc3339DateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const offsetHour = match[9] === undefined ? 0 : Number(match[9]);
  const offsetMinute = match[10] === undefined ? 0 : Number(match[10]);
  // The instant itself, in UTC, must also fall in the range: 9999-12-31T23:59:59-23:59 is in year 10000.
  const offsetSign = match[8].startsWith('-') ? -1 : 1;
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second) - offsetSign * (offsetHour * 60 + offsetMinute) * 60_000);
  const utcYear = utc.getUTCFullYear();
  return (
    utcYear >= EARLIEST_YEAR &&
    utcYear <= LATEST_YEAR &&
    year >= EARLIEST_YEAR &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHour <= 23 &&
    offsetMinute <= 59
  );
}

export function IsRfc3339DateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_RFC3339_DATE_TIME,
      validator: {
        validate: (value) => isRfc3339DateTime(value),
        defaultMessage: () =>
          `must be an RFC 3339 date-time whose UTC instant is in the years ${EARLIEST_YEAR} to ${LATEST_YEAR}, e.g. 2026-11-02T09:15:00Z`,
      },
    },
    options,
  );
}
