/** Text from evidence, made safe to print on a terminal. */

/**
 * Strings from evidence must not drive the terminal or reorder what it shows: control characters
 * and bidirectional overrides are written as escapes (\xNN, \u{NNNN}), long strings are cut.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function terminalSafe(s: unknown, max = 200): string {
  const clean = String(s ?? '').replace(UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
