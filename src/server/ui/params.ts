/** Query and path parameters of the UI's API, checked strictly: a bad one is a 400 with a reason. */

export function badRequest(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400 });
}

export type Query = Record<string, unknown>;

/** A whole number from 0 to max, or the default when absent. */
export function int(q: Query, name: string, def: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = q[name];
  if (v === undefined || v === '') return def;
  if (typeof v !== 'string' || !/^\d{1,15}$/.test(v) || Number(v) > max) throw badRequest(`${name} must be a whole number from 0 to ${max}`);
  return Number(v);
}

/** A time: epoch milliseconds or an ISO 8601 text; undefined when absent. */
export function time(q: Query, name: string): number | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
  const t = typeof v === 'string' && v.length <= 40 ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw badRequest(`${name} must be epoch milliseconds or an ISO 8601 time`);
  return t;
}

/** A text of at most max characters; undefined when absent or empty. */
export function text(q: Query, name: string, max = 255): string | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || v.length > max) throw badRequest(`${name} must be a text of at most ${max} characters`);
  return v;
}

/** One of the allowed values; undefined when absent. */
export function oneOf<T extends string>(q: Query, name: string, allowed: readonly T[]): T | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw badRequest(`${name} must be one of ${allowed.join(', ')}`);
  return v as T;
}

/** A comma-separated list of allowed values; undefined when absent. */
export function listOf<T extends string>(q: Query, name: string, allowed: readonly T[]): T[] | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > 2000) throw badRequest(`${name} must be a comma-separated list`);
  const out = v.split(',').filter(Boolean);
  for (const x of out) if (!(allowed as readonly string[]).includes(x)) throw badRequest(`${name}: ${x.slice(0, 40)} is not one of ${allowed.join(', ')}`);
  return out as T[];
}

export const NODE_ID = /^[0-9a-f]{16}$/;
export const THREAT_ID = /^t[0-9a-f]{16}$/;
