/**
 * Reading Sigma YAML so that values keep their text. YAML's core schema turns an unquoted `0x1F`
 * into 31 and `0777` into 777; Sigma compares text, so we use a schema that resolves only `null`
 * (and `~`, empty) and `true`/`false`, and leaves every other scalar as the string written.
 */
import yaml from 'js-yaml';
import { SigmaError } from './errors.js';

// js-yaml exports its built-in scalar types as `types` (missing from @types/js-yaml).
const builtin = (yaml as unknown as { types: { null: yaml.Type; bool: yaml.Type } }).types;
const SIGMA_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({ implicit: [builtin.null, builtin.bool] });

/** A YAML value as the Sigma parser sees it: strings, booleans, null, lists and maps. */
export type YamlValue = string | boolean | null | YamlValue[] | { [key: string]: YamlValue };
export type YamlMap = { [key: string]: YamlValue };

export interface YamlDocument {
  value: YamlValue;
  /** Index of the document in its file. */
  index: number;
  /** 1-based line where the document starts (after a `---`). */
  line: number;
}

/** Parses every document of a (multi-document) Sigma YAML file. Throws SigmaError on bad YAML. */
export function readSigmaYaml(text: string, file?: string): YamlDocument[] {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text, undefined, { schema: SIGMA_SCHEMA, filename: file, json: false });
  } catch (err) {
    const e = err as { reason?: string; mark?: { line?: number }; message?: string };
    throw new SigmaError(`invalid YAML: ${e.reason ?? e.message ?? String(err)}`, {
      file,
      line: e.mark?.line !== undefined ? e.mark.line + 1 : undefined,
    });
  }
  const starts = documentStartLines(text);
  const out: YamlDocument[] = [];
  docs.forEach((value, i) => {
    if (value === null || value === undefined) return; // empty document (e.g. trailing `---`)
    out.push({ value: value as YamlValue, index: i, line: starts[i] ?? 1 });
  });
  return out;
}

/** Line numbers where documents begin: after each `---` separator, and line 1 when content precedes the first. */
function documentStartLines(text: string): number[] {
  const lines = text.split('\n');
  const starts: number[] = [];
  let contentBeforeSeparator = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^---\s*(#.*)?$/.test(l)) {
      starts.push(i + 2);
    } else if (starts.length === 0 && l.trim() !== '' && !l.trimStart().startsWith('#')) {
      contentBeforeSeparator = true;
    }
  }
  return contentBeforeSeparator || starts.length === 0 ? [1, ...starts] : starts;
}

export function isMap(v: YamlValue | undefined): v is YamlMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
