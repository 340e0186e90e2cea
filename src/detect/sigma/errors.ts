/**
 * Errors that say where they are. One broken rule must never stop the others from loading, so the
 * parser collects these instead of throwing past the rule that caused them.
 */

export interface SigmaLocation {
  file?: string;
  /** 1-based line in the file, where known. */
  line?: number;
  /** Index of the YAML document within a multi-document file (0-based). */
  document?: number;
  /** The rule the error belongs to, when its id / title could be read. */
  ruleId?: string;
  title?: string;
}

export class SigmaError extends Error {
  readonly where: SigmaLocation;
  constructor(message: string, where: SigmaLocation = {}) {
    super(message);
    this.name = 'SigmaError';
    this.where = where;
  }

  /** `file:line: message`, the form editors and CI logs understand. */
  describe(): string {
    return `${formatLocation(this.where)}${this.message}`;
  }
}

export function formatLocation(where: SigmaLocation): string {
  if (!where.file) return where.line ? `line ${where.line}: ` : '';
  return `${where.file}${where.line ? `:${where.line}` : ''}: `;
}

/**
 * The 1-based line on which `key:` first appears in `text` at or after `fromLine`, for pointing an
 * error at the detection item that caused it (js-yaml does not keep node positions).
 */
export function lineOfKey(text: string | undefined, key: string, fromLine = 1): number | undefined {
  if (!text) return undefined;
  const lines = text.split('\n');
  const bare = key.replace(/^['"]|['"]$/g, '');
  for (let i = Math.max(0, fromLine - 1); i < lines.length; i++) {
    const t = lines[i]!.trimStart();
    const body = t.startsWith('- ') ? t.slice(2).trimStart() : t;
    if (body.startsWith(`${bare}:`) || body.startsWith(`'${bare}':`) || body.startsWith(`"${bare}":`)) return i + 1;
  }
  return undefined;
}
