/**
 * What every importer shares: validate an entry, keep it or report it with where it was, count
 * what was skipped. Importers only find entries in their format and hand them here.
 */
import { clip, detectType, resolveTypeName, validateIndicator } from '../validate.js';
import { TLPS, type ImportIssue, type ImportResult, type Indicator, type IocFormat, type IocList, type IocType, type IssueLocation, type Tlp } from '../types.js';

export interface ImportOptions {
  /** Shown as the indicators' source; defaults to the file name. */
  source?: string;
  /** Tag for entries without one. */
  tag?: string;
  tlp?: Tlp;
  /** For plain lists: the type of every line (`auto` detects each). */
  type?: IocType | 'auto';
  /** Fill the whitelist instead of the IOC list (TinyCheck whitelist files say so themselves). */
  list?: IocList;
}

export interface EntryMeta {
  tag?: string;
  tlp?: string;
  firstSeen?: number;
  comment?: string;
}

export function normalizeTlp(v: string | undefined): Tlp | undefined {
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase().replace(/^tlp:/, '');
  return (TLPS as readonly string[]).includes(t) ? (t as Tlp) : undefined;
}

/** Tags are free text from the input: bounded, trimmed, lower-case. */
export function normalizeTag(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase().slice(0, 64);
  return t.length > 0 ? t : undefined;
}

export class Collector {
  readonly indicators: Indicator[] = [];
  readonly issues: ImportIssue[] = [];
  readonly removals: string[] = [];
  readonly skipped: Record<string, number> = {};
  private readonly source: string;
  private readonly tag: string;
  private readonly tlp: Tlp;
  // Interned per import: a million indicators share a handful of tag/source strings.
  private readonly tags = new Map<string, string>();

  constructor(
    readonly format: IocFormat,
    readonly options: ImportOptions & { name?: string },
    public list: IocList = options.list ?? 'ioc',
  ) {
    this.source = options.source ?? options.name ?? format;
    this.tag = normalizeTag(options.tag) ?? 'suspect';
    this.tlp = options.tlp ?? 'white';
  }

  error(where: IssueLocation, reason: string, value?: unknown): void {
    this.issues.push({ severity: 'error', reason, ...where, ...(value === undefined ? {} : { value: clip(value) }) });
  }

  warn(where: IssueLocation, reason: string, value?: unknown): void {
    this.issues.push({ severity: 'warning', reason, ...where, ...(value === undefined ? {} : { value: clip(value) }) });
  }

  skip(kind: string): void {
    this.skipped[kind] = (this.skipped[kind] ?? 0) + 1;
  }

  /**
   * One entry: `typeName` is the input's own type name (or one of ours, or `auto`).
   * Returns the stored indicator, or undefined when the entry was refused (and reported).
   */
  add(typeName: string, raw: unknown, where: IssueLocation, meta: EntryMeta = {}): Indicator | undefined {
    if (typeof raw !== 'string') {
      this.error(where, 'value is missing or not text', raw);
      return undefined;
    }
    const declared = resolveTypeName(typeName);
    if (declared === undefined) {
      this.error(where, `unknown indicator type "${clip(typeName, 40)}"`, raw);
      return undefined;
    }
    let type: IocType;
    if (declared === 'auto') {
      const t = detectType(raw);
      if (t === undefined) {
        this.error(where, 'cannot tell what kind of indicator this is', raw);
        return undefined;
      }
      type = t;
    } else {
      type = declared;
    }
    if (this.list === 'whitelist' && type !== 'ip4' && type !== 'ip6' && type !== 'cidr' && type !== 'domain') {
      this.error(where, `type ${type} cannot be whitelisted (ip4, ip6, cidr, domain only)`, raw);
      return undefined;
    }
    const v = validateIndicator(type, raw);
    if (!v.ok) {
      this.error(where, `${type}: ${v.reason}`, raw);
      return undefined;
    }
    if (v.warning) this.warn(where, `${type}: ${v.warning}`, raw);
    const tag = this.intern(normalizeTag(meta.tag) ?? this.tag);
    const tlpRaw = meta.tlp;
    let tlp = this.tlp;
    if (tlpRaw !== undefined) {
      const t = normalizeTlp(tlpRaw);
      if (t === undefined) this.warn(where, `unknown TLP "${clip(tlpRaw, 30)}", using ${this.tlp}`);
      else tlp = t;
    }
    const ind: Indicator = { type, value: v.value, tag, tlp, source: this.source };
    if (meta.firstSeen !== undefined && Number.isFinite(meta.firstSeen)) ind.firstSeen = meta.firstSeen;
    if (meta.comment) ind.comment = meta.comment.slice(0, 200);
    this.indicators.push(ind);
    return ind;
  }

  private intern(s: string): string {
    const have = this.tags.get(s);
    if (have !== undefined) return have;
    this.tags.set(s, s);
    return s;
  }

  result(): ImportResult {
    return {
      format: this.format,
      list: this.list,
      indicators: this.indicators,
      removals: this.removals,
      issues: this.issues,
      skipped: this.skipped,
    };
  }
}

/** Epoch ms from an ISO date or epoch seconds/ms; undefined when unreadable. */
export function parseWhen(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? v * 1000 : v;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return parseWhen(Number(v));
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}
