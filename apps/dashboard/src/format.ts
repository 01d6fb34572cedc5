/** Display helpers: times in the browser's zone with a relative hint, ids shortened (the full id in `title`), JSON compact. */

const timeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatTime(iso: unknown): string {
  if (typeof iso !== 'string' || iso === '') return '—';
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : timeFormat.format(at);
}

/** "in 25 s", "3 min ago": for due and next-run times. */
export function relativeTime(iso: unknown, now = Date.now()): string {
  if (typeof iso !== 'string') return '';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const seconds = Math.round((at - now) / 1000);
  const size = Math.abs(seconds);
  const text =
    size < 60
      ? `${size} s`
      : size < 3600
        ? `${Math.round(size / 60)} min`
        : size < 172_800
          ? `${Math.round(size / 3600)} h`
          : `${Math.round(size / 86_400)} d`;
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

/** A value for a cell: scalars as they are, anything else as JSON, null and undefined as a dash. */
export function text(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return json(value);
}

/** A form's field as text ('' for a file or nothing). */
export function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

export function json(value: unknown, indent?: number): string {
  if (value === undefined) return '';
  return JSON.stringify(value, null, indent) ?? '';
}

/** A task's progress as a percentage, when it reports one (`{ percent }`, or a number 0–100). */
export function progressPercent(progress: unknown): number | null {
  const value = typeof progress === 'number' ? progress : (progress as { percent?: unknown } | null)?.percent;
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.min(100, value)) : null;
}

/** Parses a JSON text field of a form: empty is "not given". */
export function parseJsonField(text: string, field: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${field} is not valid JSON`);
  }
}
