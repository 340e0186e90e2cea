/**
 * Allow rules: processes known to be fine, by file hash, code signer, image path or command-line
 * pattern. An allowed process still records the techniques its hits name (an analyst wants to see
 * them), but its hits add no score. Allowing is never inherited: the child of an allowed process is
 * judged on its own (RmEye let any child of a white-listed binary act unscored).
 *
 * A rule's fields are ANDed; rules are ORed. File format (YAML or JSON):
 *
 *   allow:
 *     - hash: 5d41402abc4b2a76b9719d911017c592        # md5, sha1, sha256 or imphash
 *       reason: our backup agent
 *     - signer: "Microsoft Windows"                     # exact, or a * ? glob; any case
 *     - path: "C:\\Program Files\\Acme\\*"              # glob over the normalised path
 *     - commandLine: "/^\"?C:\\\\Tools\\\\scan\\.exe\"? --daily$/i"   # /regex/flags or a glob
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { normalisePath } from '../../graph/keys.js';
import type { ProcNode } from './tree.js';

export interface AllowRule {
  hash?: string;
  signer?: string;
  path?: string;
  commandLine?: string;
  reason?: string;
}

interface Compiled {
  rule: AllowRule;
  hash?: string;
  signer?: RegExp;
  path?: RegExp;
  commandLine?: RegExp;
}

const MAX_PATTERN = 4096;

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

/** `/re/flags` is a regular expression; anything else a case-insensitive glob. */
function pattern(text: string, what: string): RegExp {
  if (text.length > MAX_PATTERN) throw new Error(`allow rule ${what} pattern longer than ${MAX_PATTERN} characters`);
  const m = /^\/(.*)\/([a-z]*)$/s.exec(text);
  if (m) {
    try {
      return new RegExp(m[1]!, m[2]!.replace(/[gy]/g, ''));
    } catch (err) {
      throw new Error(`allow rule ${what}: ${(err as Error).message}`);
    }
  }
  return globToRegExp(text);
}

export class AllowList {
  private readonly rules: Compiled[] = [];

  constructor(readonly raw: AllowRule[] = []) {
    const rules = raw;
    rules.forEach((r, i) => {
      if (typeof r !== 'object' || r === null) throw new Error(`allow rule ${i + 1}: not an object`);
      const c: Compiled = { rule: r };
      if (r.hash !== undefined) {
        if (typeof r.hash !== 'string' || !/^[0-9a-f]{32}$|^[0-9a-f]{40}$|^[0-9a-f]{64}$/i.test(r.hash.trim()))
          throw new Error(`allow rule ${i + 1}: hash must be an md5, sha1, sha256 or imphash in hex`);
        c.hash = r.hash.trim().toLowerCase();
      }
      if (r.signer !== undefined) c.signer = pattern(String(r.signer), 'signer');
      if (r.path !== undefined) c.path = globToRegExp(normalisePath(String(r.path)));
      if (r.commandLine !== undefined) c.commandLine = pattern(String(r.commandLine), 'commandLine');
      if (!c.hash && !c.signer && !c.path && !c.commandLine) throw new Error(`allow rule ${i + 1}: needs hash, signer, path or commandLine`);
      this.rules.push(c);
    });
  }

  get size(): number {
    return this.rules.length;
  }

  /** The rule that allows this process, if any. */
  match(p: Pick<ProcNode, 'hashes' | 'signer' | 'image' | 'commandLine'>): AllowRule | undefined {
    for (const c of this.rules) {
      if (c.hash) {
        const h = p.hashes;
        if (!h || (h.md5 !== c.hash && h.sha1 !== c.hash && h.sha256 !== c.hash && h.imphash !== c.hash)) continue;
      }
      if (c.signer && !(p.signer !== undefined && c.signer.test(p.signer))) continue;
      if (c.path && !(p.image !== undefined && c.path.test(normalisePath(p.image)))) continue;
      if (c.commandLine && !(p.commandLine !== undefined && c.commandLine.test(p.commandLine))) continue;
      return c.rule;
    }
    return undefined;
  }

  static merge(lists: AllowList[]): AllowList {
    return new AllowList(lists.flatMap((l) => l.raw));
  }

  static parse(text: string, name = 'allow rules'): AllowList {
    let doc: unknown;
    try {
      doc = yaml.load(text);
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`);
    }
    const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' ? (doc as { allow?: unknown }).allow : undefined;
    if (!Array.isArray(list)) throw new Error(`${name}: expected a list of rules, or an "allow:" list`);
    try {
      return new AllowList(list as AllowRule[]);
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`);
    }
  }

  static load(path: string): AllowList {
    return AllowList.parse(readFileSync(path, 'utf8'), path);
  }
}
