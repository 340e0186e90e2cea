/**
 * Algorithmically generated domains. Without a trained model, a transparent score over the
 * registrable label (the part a DGA makes up: `kq3vx9ztw` in `kq3vx9ztw.com`): character
 * entropy, scarcity of vowels, long consonant runs, digits mixed with letters. DGA-01 flags a
 * generated-looking name the device resolved (low); DGA-02 flags a host that queried many such
 * names that do not exist (high): the pattern of malware trying its generated list.
 */
import { entropy } from '../../ioc/domain.js';
import type { EventRef } from '../../types.js';
import type { CheckContext } from './context.js';

export const DGA = {
  minLength: 8,
  /** DGA-01: one resolved name scoring at least this. */
  resolvedScore: 0.75,
  /** DGA-02: non-existent names scoring at least this ... */
  nxScore: 0.5,
  /** ... at least this many distinct ones from one host. */
  nxMinNames: 5,
} as const;

const VOWELS = new Set('aeiouy');

const clamp = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** A score in [0, 1]; 0 for short labels and punycode. */
export function dgaScore(labelIn: string): number {
  const label = labelIn.toLowerCase();
  if (label.startsWith('xn--')) return 0;
  const s = label.replace(/-/g, '');
  const n = s.length;
  if (n < DGA.minLength) return 0;
  let letters = 0;
  let vowels = 0;
  let digits = 0;
  let run = 0;
  let maxRun = 0;
  let switches = 0;
  let prevDigit: boolean | undefined;
  for (const ch of s) {
    const isDigit = ch >= '0' && ch <= '9';
    if (isDigit) {
      digits++;
      run = 0;
    } else {
      letters++;
      if (VOWELS.has(ch)) {
        vowels++;
        run = 0;
      } else {
        run++;
        if (run > maxRun) maxRun = run;
      }
    }
    if (prevDigit !== undefined && prevDigit !== isDigit) switches++;
    prevDigit = isDigit;
  }
  // Entropy relative to the most a label of this length could have.
  const hNorm = entropy(s) / Math.log2(Math.min(n, 36));
  const vowelRatio = letters > 0 ? vowels / letters : 0;
  const digitRatio = digits / n;
  let score = 0;
  score += 0.35 * clamp((hNorm - 0.8) / 0.15);
  score += 0.3 * clamp((0.3 - vowelRatio) / 0.15);
  score += 0.25 * clamp((maxRun - 3) / 3);
  score += 0.1 * clamp(switches / 4);
  if (digitRatio > 0.15 && digitRatio < 0.85) score += 0.1;
  return Math.round(clamp(score) * 1000) / 1000;
}

export function checkDga(ctx: CheckContext): void {
  if (!ctx.opts.heuristics || !ctx.opts.dga) return;
  const scores = new Map<string, number>();
  const perHost = new Map<string, { names: string[]; refs: EventRef[]; first: number; last: number; count: number }>();
  for (const [name, agg] of ctx.state.names) {
    if (!name.includes('.') || ctx.nameWhitelisted(name)) continue;
    const parts = ctx.domainOf(name);
    if (!parts) continue;
    let score = scores.get(parts.domain);
    if (score === undefined) scores.set(parts.domain, (score = dgaScore(parts.label)));
    if (score === 0) continue;
    if (agg.answered && score >= DGA.resolvedScore) {
      ctx.sink.add('DGA-01', parts.domain, { domain: parts.domain }, { refs: agg.refs, count: agg.count, first: agg.first, last: agg.last, sources: agg.sources }, { subject: parts.domain, details: { score } });
      ctx.flagName(name, 'DGA-01');
    }
    if (agg.nxdomain > 0 && score >= DGA.nxScore) {
      for (const src of agg.sources) {
        let h = perHost.get(src);
        if (!h) perHost.set(src, (h = { names: [], refs: [], first: agg.first, last: agg.last, count: 0 }));
        if (!h.names.includes(parts.domain)) h.names.push(parts.domain);
        h.count += agg.nxdomain;
        if (h.refs.length < ctx.opts.maxEventRefs) h.refs.push(agg.refs[0]!);
        if (agg.first < h.first) h.first = agg.first;
        if (agg.last > h.last) h.last = agg.last;
      }
    }
  }
  for (const [src, h] of perHost) {
    if (h.names.length < DGA.nxMinNames) continue;
    ctx.sink.add('DGA-02', src, { src, count: h.names.length, example: h.names[0]! }, { refs: h.refs, count: h.count, first: h.first, last: h.last, sources: [src] }, { details: { names: h.names.slice(0, 50) } });
  }
}
