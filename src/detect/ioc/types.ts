/**
 * The indicator model: what an IOC is, whatever file it came from. Importers turn TinyCheck JSON,
 * MISP events, STIX 2.1 bundles, CSV, plain lists and hosts files into `Indicator`s; validation
 * gives each value one canonical spelling per type, so matching is a hash lookup.
 */

/** Every indicator type Loupe matches. TinyCheck's `ip4addr`/`ip6addr` are `ip4`/`ip6` here. */
export const IOC_TYPES = [
  'ip4',
  'ip6',
  'cidr',
  'domain',
  'freedns',
  'tld',
  'ns',
  'sha1cert',
  'ja3',
  'md5',
  'sha1',
  'sha256',
  'url',
  'snort',
] as const;
export type IocType = (typeof IOC_TYPES)[number];

/** The whitelist holds addresses, ranges and domains only. */
export const WHITELIST_TYPES = ['ip4', 'ip6', 'cidr', 'domain'] as const satisfies readonly IocType[];

/** `ioc`: things to alert on; `whitelist`: things never to alert on. */
export type IocList = 'ioc' | 'whitelist';

export const TLPS = ['clear', 'white', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLPS)[number];

export interface Indicator {
  type: IocType;
  /** Canonical value (see validate.ts): lower-case names, canonical IPs, network-address CIDRs. */
  value: string;
  /** Free-form category: `stalkerware`, `tracker`, `pegasus`, `suspect`... (TinyCheck's tags are not a closed set). */
  tag: string;
  tlp: Tlp;
  /** Where it came from: a file name, a feed name, `tinycheck-default`. */
  source: string;
  /** Epoch ms, when the source says. */
  firstSeen?: number;
  /** A short note from the source (an app name, a MISP comment). */
  comment?: string;
}

/** Where in an input a problem was found: a line for text formats, an entry (and JSON path) for JSON. */
export interface IssueLocation {
  line?: number;
  entry?: number;
  path?: string;
}

export interface ImportIssue extends IssueLocation {
  severity: 'error' | 'warning';
  reason: string;
  /** The offending value, bounded to 200 characters (it came from the input). */
  value?: string;
}

export type IocFormat = 'tinycheck' | 'misp' | 'stix' | 'csv' | 'list' | 'hosts';

export interface ImportResult {
  format: IocFormat;
  /** Which list the file fills: TinyCheck whitelist files say so themselves. */
  list: IocList;
  indicators: Indicator[];
  /** Values the file asks to delete (TinyCheck feeds' `to_delete`). */
  removals: string[];
  /** Bad entries (errors) and entries accepted with a change (warnings), each with where. */
  issues: ImportIssue[];
  /** Entries that are not indicators Loupe matches (MISP `text`, STIX SDOs that are not indicators), by kind. */
  skipped: Record<string, number>;
}

export function countByType(indicators: readonly Indicator[]): Partial<Record<IocType, number>> {
  const out: Partial<Record<IocType, number>> = {};
  for (const i of indicators) out[i.type] = (out[i.type] ?? 0) + 1;
  return out;
}
