/**
 * Structural equality of JSON values (object key order ignored), so that a
 * worker re-sending the same progress is recognised as "unchanged".
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  const left = Object.entries(a as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const right = b as Record<string, unknown>;
  const rightSize = Object.values(right).filter((v) => v !== undefined).length;
  return left.length === rightSize && left.every(([key, value]) => Object.hasOwn(right, key) && sameJson(value, right[key]));
}
