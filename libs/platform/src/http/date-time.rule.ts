import { isISO8601 } from 'class-validator';

const ISO = { strict: true, strictSeparator: true };

/**
 * What a date-time field needs on top of IsISO8601: that `new Date` reads it.
 * ISO-8601 also has week dates (2026-W48-2), ordinal dates (2026-328), the
 * basic format (20261124T100000Z) and signed years, which the validator
 * accepts and `new Date` does not: an Invalid Date that failed later as a 500.
 * Silent on a string IsISO8601 refuses anyway, so each problem is named once.
 */
export const readableDateTimeProblem =
  (field: string) =>
  (value: unknown): string | null =>
    typeof value === 'string' && isISO8601(value, ISO) && Number.isNaN(Date.parse(value))
      ? `${field} must be a calendar date-time such as 2027-01-01T00:00:00Z (week dates, ordinal dates and the basic format are not read)`
      : null;
