/**
 * JSON for replies. Strings from evidence are returned intact (parse the reply and you get them
 * back byte for byte), but the serialized text never contains `<`, `>`, `&`, control characters or
 * the JavaScript line separators literally: a browser that sniffs a reply as HTML, or a page that
 * inlines it in a script, meets escapes and not markup.
 */
const ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

export function safeJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029\u007f-\u009f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
