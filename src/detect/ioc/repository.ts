/**
 * Where imported indicators are kept between runs. Detectors and commands use this interface;
 * the SQLite implementation lives in `src/store/sqlite/iocs.ts`, and nothing above this
 * interface knows about SQL.
 */
import type { Indicator, IocList, IocType } from './types.js';

export interface StoredIndicator extends Indicator {
  id: number;
  list: IocList;
  /** Epoch ms when it was imported. */
  addedAt: number;
}

export interface IocFilter {
  list?: IocList;
  type?: IocType;
  tag?: string;
  source?: string;
  value?: string;
  ids?: number[];
}

export interface IocRepository {
  /** Adds indicators; one per (list, type, value): a value may be both a `domain` and a `freedns` (TinyCheck refused that). */
  add(list: IocList, indicators: Iterable<Indicator>): { added: number; duplicates: number };
  /** Removes what matches; an empty filter removes nothing (use `{ list }` to clear a list). */
  remove(filter: IocFilter): number;
  /** Removes by value whatever the type (TinyCheck feeds' `to_delete`). */
  removeValues(list: IocList, values: Iterable<string>): number;
  list(filter?: IocFilter & { limit?: number; offset?: number }): StoredIndicator[];
  /** Streams every match, for loading a large store without holding the rows twice. */
  iterate(filter?: IocFilter): Iterable<StoredIndicator>;
  count(filter?: IocFilter): number;
  countByType(list: IocList): Partial<Record<IocType, number>>;
}
