/**
 * Alert and report texts in ten languages with named placeholders. `t()` falls back to English
 * for a missing language or key, and leaves an unknown placeholder visible rather than empty.
 * Texts are plain: whoever renders them escapes them (the values come from evidence).
 */
import type { Level } from '../../detect/types.js';
import { en, type AlertKey, type Catalog, type ReportKey } from './en.js';
import { fr } from './fr.js';
import { de } from './de.js';
import { es } from './es.js';
import { it } from './it.js';
import { pt } from './pt.js';
import { ru } from './ru.js';
import { ca } from './ca.js';
import { sk } from './sk.js';
import { zh } from './zh.js';

export type { AlertKey, Catalog, ReportKey } from './en.js';

export const LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pt', 'ru', 'ca', 'sk', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Partial on purpose: a catalog may lag behind English and still load. */
export type PartialCatalog = {
  alerts?: Partial<Record<AlertKey, Partial<{ title: string; description: string }>>>;
  report?: Partial<Record<ReportKey, string>>;
  levels?: Partial<Record<Level, string>>;
};

export const CATALOGS: Record<Language, PartialCatalog> = { en, fr, de, es, it, pt, ru, ca, sk, zh };

/** TinyCheck's locale file names, so its users' settings still work. */
const ALIASES: Record<string, Language> = { cat: 'ca', cn: 'zh', 'zh-cn': 'zh', 'zh-hans': 'zh', 'pt-br': 'pt', 'en-us': 'en', 'en-gb': 'en' };

export function resolveLanguage(lang: string | undefined): Language {
  if (!lang) return 'en';
  const l = lang.trim().toLowerCase().replace('_', '-');
  if ((LANGUAGES as readonly string[]).includes(l)) return l as Language;
  if (ALIASES[l]) return ALIASES[l]!;
  const base = l.split('-')[0]!;
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : 'en';
}

export type Params = Record<string, string | number | undefined>;

export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

/** The placeholders a template uses, sorted (for the catalog test). */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]!))].sort();
}

function lookup(lang: Language, get: (c: PartialCatalog) => string | undefined): string {
  return get(CATALOGS[lang]) ?? get(en as PartialCatalog) ?? '';
}

export function alertText(langIn: string | undefined, key: AlertKey, part: 'title' | 'description', params?: Params): string {
  const lang = resolveLanguage(langIn);
  const tpl = lookup(lang, (c) => c.alerts?.[key]?.[part]);
  return fill(tpl || key, params);
}

export function reportText(langIn: string | undefined, key: ReportKey, params?: Params): string {
  return fill(lookup(resolveLanguage(langIn), (c) => c.report?.[key]) || key, params);
}

export function levelText(langIn: string | undefined, level: Level): string {
  return lookup(resolveLanguage(langIn), (c) => c.levels?.[level]) || level;
}

export function isAlertKey(k: string): k is AlertKey {
  return Object.prototype.hasOwnProperty.call(en.alerts, k);
}

export const ENGLISH: Catalog = en;
