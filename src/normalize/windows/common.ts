/** Pieces shared by the per-channel Windows builders. */
import type { Event, EventAction, EventCategory, ProcessFields, UserFields } from '../event.js';
import { normGuid, parseHashes, splitPath, toInt, toStr } from '../values.js';

export type Data = Record<string, unknown>;

export function setKind(e: Event, action: EventAction, category: EventCategory[], type: string[]): void {
  e.event.action = action;
  e.event.category = category;
  e.event.type = type;
}

/** `DOMAIN\user` → `{ domain, name }`. */
export function parseUser(v: unknown, sid?: unknown): UserFields | undefined {
  const s = toStr(v);
  const id = toStr(sid);
  if (!s && !id) return undefined;
  const out: UserFields = {};
  if (s) {
    const i = s.indexOf('\\');
    if (i >= 0) {
      out.domain = s.slice(0, i) || undefined;
      out.name = s.slice(i + 1);
    } else out.name = s;
  }
  if (id) out.id = id;
  if (out.domain === undefined) delete out.domain;
  return out;
}

export function userFrom(name: unknown, domain: unknown, sid?: unknown): UserFields | undefined {
  const n = toStr(name);
  const d = toStr(domain);
  const id = toStr(sid);
  if (!n && !id) return undefined;
  const out: UserFields = {};
  if (n) out.name = n;
  if (d) out.domain = d;
  if (id) out.id = id;
  return out;
}

/** Process fields from a path, pid, guid and command line, leaving out what is unknown. */
export function proc(
  executable: unknown,
  pid: unknown,
  guid?: unknown,
  commandLine?: unknown,
): ProcessFields {
  const p: ProcessFields = {};
  const exe = toStr(executable);
  if (exe) {
    p.executable = exe;
    p.name = splitPath(exe).name;
  }
  const n = toInt(pid);
  if (n !== undefined) p.pid = n;
  const g = normGuid(guid);
  if (g) p.entity_id = g;
  const cl = toStr(commandLine);
  if (cl) p.command_line = cl;
  return p;
}

export function withHashes(p: ProcessFields, hashes: unknown): ProcessFields {
  const h = parseHashes(hashes);
  if (h) p.hash = h;
  return p;
}

export function pickStr(d: Data, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = toStr(d[n]);
    if (v !== undefined) return v;
  }
  return undefined;
}
