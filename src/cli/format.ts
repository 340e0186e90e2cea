/** Plain-text tables and numbers for terminal output. */

export function num(n: number): string {
  return n.toLocaleString('en-US');
}

export { terminalSafe as safe } from '../report/terminal.js';

export function table(headers: string[], rows: Array<Array<string | number>>, rightAlign: number[] = []): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? num(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r.map((c, i) => (i === r.length - 1 && !rightAlign.includes(i) ? c : rightAlign.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [fmt(headers), fmt(widths.map((w) => '-'.repeat(w))), ...cells.map(fmt)].map((l) => `  ${l}`).join('\n');
}
