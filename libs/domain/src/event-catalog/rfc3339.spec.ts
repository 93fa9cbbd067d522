import { isRfc3339DateTime } from './rfc3339';

describe('RFC 3339 date-times', () => {
  it.each([
    '2026-11-02T09:15:00Z',
    '2026-11-02t09:15:00.123456z',
    '2024-02-29T23:59:59+05:30',
    '1970-01-01T00:00:00-12:00',
    '9999-12-31T23:59:59Z',
    '9999-12-31T23:59:59+23:59',
  ])('accepts %s', (value) => expect(isRfc3339DateTime(value)).toBe(true));

  it.each([
    ['a day that is not in the calendar', '2026-02-30T00:00:00Z'],
    ['February 29th of a common year', '2025-02-29T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'],
    ['minute 60', '2026-01-01T10:60:00Z'],
    ['an offset past 23 hours', '2026-01-01T10:00:00+24:00'],
    ['a date without a time', '2026-01-01'],
    ['a time without an offset', '2026-01-01T10:00:00'],
    ['an expanded year', '+275760-09-13T00:00:00Z'],
    ['a year before 1970', '0001-01-01T00:00:00Z'],
    ['an offset that moves the UTC instant into year 10000 (D9)', '9999-12-31T23:59:59-23:59'],
    ['an offset that moves the UTC instant before 1970', '1970-01-01T00:00:00+00:01'],
    ['epoch seconds', '1700000000'],
    ['a non-string', 1700000000],
  ])('refuses %s', (_, value) => expect(isRfc3339DateTime(value)).toBe(false));
});
