/**
 * Talking to the server: every call is a GET under /api/v1/ui with the analyst token, which the
 * page asks for once and keeps in sessionStorage (gone when the tab closes). A 401 forgets it.
 */
const KEY = 'loupe.token';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

type Listener = () => void;
const signedOut = new Set<Listener>();

export function token(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function setToken(t: string | undefined): void {
  try {
    if (t) sessionStorage.setItem(KEY, t);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode): the token lives until the page reloads.
  }
  if (!t) for (const l of signedOut) l();
}

export function onSignOut(l: Listener): () => void {
  signedOut.add(l);
  return () => signedOut.delete(l);
}

export type Params = Record<string, string | number | boolean | undefined | null>;

export function query(params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export async function get<T>(path: string, params?: Params, t = token()): Promise<T> {
  const r = await fetch(`/api/v1/ui${path}${query(params)}`, {
    method: 'GET',
    headers: { Authorization: `Bearer ${t ?? ''}`, Accept: 'application/json' },
    credentials: 'omit',
    cache: 'no-store',
  });
  let body: unknown;
  try {
    body = await r.json();
  } catch {
    body = undefined;
  }
  if (!r.ok) {
    const msg = (body as { message?: unknown } | undefined)?.message;
    if (r.status === 401 && t === token()) setToken(undefined);
    throw new ApiError(r.status, typeof msg === 'string' ? msg.slice(0, 500) : `HTTP ${r.status}`);
  }
  return body as T;
}

export function casePath(caseId: number, rest: string): string {
  return `/cases/${caseId}${rest}`;
}
