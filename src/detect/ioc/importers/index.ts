/**
 * One entry point for every IOC format. The format is taken from the content (JSON shape, CSV
 * header, hosts lines); the file name only breaks ties (`hosts`, `.csv`).
 */
import { basename } from 'node:path';
import { readFile } from 'node:fs/promises';
import { importCsv } from './csv.js';
import { importMisp, looksLikeMisp } from './misp.js';
import { importStix, looksLikeStix } from './stix.js';
import { importTinyCheck, looksLikeTinyCheck } from './tinycheck.js';
import { importHosts, importList, looksLikeHosts } from './text.js';
import { Collector, type ImportOptions } from './collector.js';
import type { ImportResult, IocFormat } from '../types.js';

export type { ImportOptions } from './collector.js';
export const IOC_FORMATS: readonly IocFormat[] = ['tinycheck', 'misp', 'stix', 'csv', 'list', 'hosts'];

/** Largest IOC file read whole (a 1M-indicator list is ~40 MB). */
export const MAX_IOC_FILE = 512 * 1024 * 1024;

const CSV_HEADER = /^(?:"?[A-Za-z_ -]+"?\s*,\s*)+"?[A-Za-z_ -]+"?\s*$/;

export function sniffFormat(text: string, name = ''): IocFormat | undefined {
  const head = text.slice(0, 4096).replace(/^\ufeff/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return undefined; // JSON: decided on the parsed document
  const base = basename(name).toLowerCase();
  if (base === 'hosts' || base.endsWith('.hosts')) return 'hosts';
  const firstLine = head.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  if (CSV_HEADER.test(firstLine.trim()) || (base.endsWith('.csv') && firstLine.includes(','))) return 'csv';
  if (looksLikeHosts(text)) return 'hosts';
  return 'list';
}

function importJson(doc: unknown, format: IocFormat | undefined, options: ImportOptions & { name?: string }): ImportResult {
  const f = format ?? (looksLikeTinyCheck(doc) ? 'tinycheck' : looksLikeStix(doc) ? 'stix' : looksLikeMisp(doc) ? 'misp' : undefined);
  switch (f) {
    case 'tinycheck':
      return importTinyCheck(doc, options);
    case 'stix':
      return importStix(doc, options);
    case 'misp':
      return importMisp(doc, options);
    default: {
      const c = new Collector(f ?? 'list', options);
      c.error({ line: 1 }, 'JSON that is neither TinyCheck ({"iocs":[...]}/{"elements":[...]}), a MISP event nor a STIX 2.1 bundle');
      return c.result();
    }
  }
}

/** Imports IOCs from text; `format` forces a format, otherwise it is sniffed. Never throws on bad input. */
export function importIocText(text: string, options: ImportOptions & { name?: string; format?: IocFormat } = {}): ImportResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trimStart();
  const isJson = options.format === 'tinycheck' || options.format === 'misp' || options.format === 'stix' || (!options.format && (trimmed.startsWith('{') || trimmed.startsWith('[')));
  if (isJson) {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch (err) {
      const c = new Collector(options.format ?? 'tinycheck', options);
      const m = /position (\d+)/.exec((err as Error).message);
      const line = m ? body.slice(0, Number(m[1])).split('\n').length : undefined;
      c.error({ line }, `invalid JSON: ${(err as Error).message}`);
      return c.result();
    }
    return importJson(doc, options.format, options);
  }
  const format = options.format ?? sniffFormat(body, options.name);
  switch (format) {
    case 'csv':
      return importCsv(body, options);
    case 'hosts':
      return importHosts(body, options);
    default:
      return importList(body, options);
  }
}

export async function importIocFile(path: string, options: ImportOptions & { format?: IocFormat } = {}): Promise<ImportResult> {
  const buf = await readFile(path);
  if (buf.length > MAX_IOC_FILE) {
    const c = new Collector(options.format ?? 'list', { ...options, name: path });
    c.error({}, `file larger than ${MAX_IOC_FILE} bytes`);
    return c.result();
  }
  return importIocText(buf.toString('utf8'), { ...options, name: options.source ?? basename(path) });
}
