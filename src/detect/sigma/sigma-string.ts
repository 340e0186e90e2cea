/**
 * A Sigma string is a list of parts: plain text, the `*` and `?` wildcards, and placeholders, so a
 * wildcard is never confused with a literal asterisk written as `\*`. The escaping rules are the
 * specification's: a backslash escapes `*`, `?` and itself; before any other character it is a
 * plain backslash (so `C:\Windows` needs no doubling, and `\\` and `\` both mean one backslash
 * when no wildcard follows).
 */

export type Part =
  | { k: 'text'; v: string }
  | { k: 'any' }
  | { k: 'one' }
  | { k: 'ph'; name: string };

const ANY: Part = { k: 'any' };
const ONE: Part = { k: 'one' };

/** The dash-like characters `windash` permutes: hyphen, slash, en dash, em dash, horizontal bar. */
export const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;
/** Upper bound on windash permutations per value (5^4): a guard against pathological rules. */
const MAX_WINDASH_VARIANTS = 625;

export class SigmaString {
  /** Parts with adjacent text merged. `binary` text holds one byte per char (after utf16 modifiers). */
  readonly parts: readonly Part[];
  readonly binary: boolean;

  constructor(parts: Part[], binary = false) {
    this.parts = mergeText(parts);
    this.binary = binary;
  }

  /** Parses a rule value with Sigma's escaping. */
  static parse(text: string): SigmaString {
    const parts: Part[] = [];
    let buf = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\\') {
        const n = text[i + 1];
        if (n === '*' || n === '?' || n === '\\') {
          buf += n;
          i++;
        } else buf += '\\';
      } else if (c === '*' || c === '?') {
        if (buf) parts.push({ k: 'text', v: buf });
        buf = '';
        parts.push(c === '*' ? ANY : ONE);
      } else buf += c;
    }
    if (buf) parts.push({ k: 'text', v: buf });
    return new SigmaString(parts);
  }

  /** A string with no special characters at all. */
  static literal(text: string): SigmaString {
    return new SigmaString(text ? [{ k: 'text', v: text }] : []);
  }

  hasWildcards(): boolean {
    return this.parts.some((p) => p.k === 'any' || p.k === 'one');
  }

  hasPlaceholders(): boolean {
    return this.parts.some((p) => p.k === 'ph');
  }

  startsWithAny(): boolean {
    return this.parts[0]?.k === 'any';
  }

  endsWithAny(): boolean {
    return this.parts[this.parts.length - 1]?.k === 'any';
  }

  withLeadingAny(): SigmaString {
    return this.startsWithAny() ? this : new SigmaString([ANY, ...this.parts], this.binary);
  }

  withTrailingAny(): SigmaString {
    return this.endsWithAny() ? this : new SigmaString([...this.parts, ANY], this.binary);
  }

  /** The text when there are no wildcards or placeholders, else undefined. */
  plain(): string | undefined {
    let s = '';
    for (const p of this.parts) {
      if (p.k !== 'text') return undefined;
      s += p.v;
    }
    return s;
  }

  /** Writes the string back in Sigma notation (escaping wildcards and backslashes before them). */
  toString(): string {
    let s = '';
    for (const p of this.parts) {
      if (p.k === 'any') s += '*';
      else if (p.k === 'one') s += '?';
      else if (p.k === 'ph') s += `%${p.name}%`;
      else s += p.v.replace(/\\(?=[*?\\]|$)/g, '\\\\').replace(/([*?])/g, '\\$1');
    }
    return s;
  }

  mapText(fn: (text: string) => string, binary = this.binary): SigmaString {
    return new SigmaString(
      this.parts.map((p) => (p.k === 'text' ? { k: 'text', v: fn(p.v) } : p)),
      binary,
    );
  }

  /**
   * `expand`: `%name%` in text becomes a placeholder part; `\%` stays a plain percent sign.
   * Text without a closing `%` is left as written.
   */
  insertPlaceholders(): SigmaString {
    const out: Part[] = [];
    for (const p of this.parts) {
      if (p.k !== 'text') {
        out.push(p);
        continue;
      }
      const s = p.v;
      let buf = '';
      for (let i = 0; i < s.length; i++) {
        const c = s[i]!;
        if (c === '\\' && s[i + 1] === '%') {
          buf += '%';
          i++;
        } else if (c === '%') {
          const end = s.indexOf('%', i + 1);
          const name = end > i + 1 ? s.slice(i + 1, end) : '';
          if (name && /^[A-Za-z0-9_.\-]+$/.test(name)) {
            if (buf) out.push({ k: 'text', v: buf });
            buf = '';
            out.push({ k: 'ph', name });
            i = end;
          } else buf += c;
        } else buf += c;
      }
      if (buf) out.push({ k: 'text', v: buf });
    }
    return new SigmaString(out, this.binary);
  }

  /**
   * Replaces every placeholder by each of its values (Sigma strings themselves), giving the
   * cartesian product. A placeholder with no values makes the whole value impossible: [] back.
   */
  replacePlaceholders(lookup: (name: string) => SigmaString[] | undefined): SigmaString[] {
    let acc: Part[][] = [[]];
    for (const p of this.parts) {
      if (p.k !== 'ph') {
        for (const a of acc) a.push(p);
        continue;
      }
      const values = lookup(p.name) ?? [];
      const next: Part[][] = [];
      for (const a of acc) for (const v of values) next.push([...a, ...v.parts]);
      acc = next;
    }
    return acc.map((parts) => new SigmaString(parts, this.binary));
  }

  /**
   * `windash`: a `-` or `/` that starts a word after a non-word character (`\B[-/]\b`, as pySigma
   * does) may be written with any of the five dash-like characters. Returns every permutation.
   */
  windash(): SigmaString[] {
    let acc: Part[][] = [[]];
    for (const p of this.parts) {
      if (p.k !== 'text') {
        for (const a of acc) a.push(p);
        continue;
      }
      const pieces: string[] = [];
      let last = 0;
      const re = /\B[-/]\b/g;
      for (let m = re.exec(p.v); m; m = re.exec(p.v)) {
        pieces.push(p.v.slice(last, m.index));
        last = m.index + 1;
      }
      pieces.push(p.v.slice(last));
      if (pieces.length === 1) {
        for (const a of acc) a.push(p);
        continue;
      }
      // one text variant per combination of dashes at the flag positions
      let texts = [pieces[0]!];
      for (let i = 1; i < pieces.length; i++) {
        const grown: string[] = [];
        for (const t of texts) for (const d of WINDASH_CHARS) grown.push(t + d + pieces[i]!);
        texts = grown;
        if (texts.length * acc.length > MAX_WINDASH_VARIANTS) throw new Error(`windash: more than ${MAX_WINDASH_VARIANTS} permutations`);
      }
      const next: Part[][] = [];
      for (const a of acc) for (const t of texts) next.push([...a, { k: 'text', v: t }]);
      acc = next;
    }
    return acc.map((parts) => new SigmaString(parts, this.binary));
  }

  /** The bytes base64 modifiers encode: UTF-8 text, or the bytes made by a utf16 modifier. */
  toBytes(): Buffer {
    const s = this.plain();
    if (s === undefined) throw new Error('base64 of a value with wildcards or placeholders is not allowed');
    return Buffer.from(s, this.binary ? 'latin1' : 'utf8');
  }
}

function mergeText(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (p.k === 'text') {
      if (!p.v) continue;
      if (prev?.k === 'text') out[out.length - 1] = { k: 'text', v: prev.v + p.v };
      else out.push(p);
    } else if (p.k === 'any' && prev?.k === 'any') {
      continue; // `**` means the same as `*`
    } else out.push(p);
  }
  return out;
}

/** UTF-16 encodings of text as one-byte-per-char strings, for the base64 modifiers that follow. */
export function utf16le(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += String.fromCharCode(c & 0xff, c >> 8);
  }
  return out;
}

export function utf16be(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += String.fromCharCode(c >> 8, c & 0xff);
  }
  return out;
}

/**
 * The three base64 forms a byte string takes at offsets 0, 1 and 2 within a larger encoded
 * string, keeping only the characters that do not depend on the neighbouring bytes. Same cut as
 * pySigma: encode with 0-2 leading pad bytes, drop the first 0/2/3 characters and the last 0/3/2
 * depending on how the data ends.
 */
export function base64Offsets(data: Buffer): string[] {
  const start = [0, 2, 3];
  const endCut = [0, 3, 2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), data]).toString('base64');
    const cut = endCut[(data.length + i) % 3]!;
    out.push(enc.slice(start[i], cut ? enc.length - cut : enc.length));
  }
  return out;
}
