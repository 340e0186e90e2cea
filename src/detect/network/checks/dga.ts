/**
 * Algorithmically generated domains. Without a trained model, a transparent score over the
 * registrable label (the part a DGA makes up: `kq3vx9ztw` in `kq3vx9ztw.com`): how un-English
 * its letter pairs are, character entropy, long consonant runs, digits mixed with letters. DGA-01 flags a
 * generated-looking name the device resolved (low); DGA-02 flags a host that queried many such
 * names that do not exist (high): the pattern of malware trying its generated list.
 */
import { entropy } from '../../ioc/domain.js';
import type { EventRef } from '../../types.js';
import type { CheckContext } from './context.js';

export const DGA = {
  minLength: 8,
  /** DGA-01: one resolved name scoring at least this. */
  resolvedScore: 0.7,
  /** DGA-02: non-existent names scoring at least this ... */
  nxScore: 0.5,
  /** ... at least this many distinct ones from one host. */
  nxMinNames: 5,
} as const;

/**
 * The 200 most frequent letter pairs of English text, most frequent first (the usual published
 * rankings). A random label hits about 30 % of them by chance; names people choose, 70 % or more.
 */
const COMMON_BIGRAMS = new Set(
  (
    'th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co ' +
    'me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ' +
    'ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa ' +
    'im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke ' +
    'fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr cl du ' +
    'ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br bi pt ak pu ' +
    'ui rg ib tl ny ki rk ys ' +
    ''
  ).trim().split(' '),
);

const VOWELS = 'aeiouy';

const clamp = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * A score in [0, 1]; 0 for short labels and punycode. Mostly the share of uncommon letter
 * pairs, with entropy, long consonant runs and digits mixed into letters as tie-breakers.
 * Measured on the TinyCheck whitelist, the stalkerware indicators and TinyCheck's domain IOCs
 * (3,133 labels, nearly all chosen by people) against 1,200 random labels: at 0.7, 5 chosen labels score
 * above (msftncsi, tchsrvce...) and 45 % of random ones; at 0.5, 16 and 74 %.
 */
export function dgaScore(labelIn: string): number {
  const s = labelIn.toLowerCase().replace(/-/g, '');
  if (labelIn.toLowerCase().startsWith('xn--')) return 0;
  const n = s.length;
  if (n < DGA.minLength) return 0;
  let pairs = 0;
  let common = 0;
  let digits = 0;
  let switches = 0;
  let run = 0;
  let maxRun = 0;
  for (let i = 0; i < n; i++) {
    const c = s[i]!;
    const isDigit = c >= '0' && c <= '9';
    if (isDigit) {
      digits++;
      run = 0;
    } else if (VOWELS.includes(c)) {
      run = 0;
    } else {
      run++;
      if (run > maxRun) maxRun = run;
    }
    if (i > 0) {
      const p = s[i - 1]!;
      const prevDigit = p >= '0' && p <= '9';
      if (prevDigit !== isDigit) switches++;
      if (!prevDigit && !isDigit) {
        pairs++;
        if (COMMON_BIGRAMS.has(p + c)) common++;
      }
    }
  }
  const spelling = pairs > 0 ? common / pairs : 0;
  // Entropy relative to the most a label of this length could have.
  const hNorm = entropy(s) / Math.log2(Math.min(n, 36));
  const digitRatio = digits / n;
  let score = 0.55 * clamp((0.6 - spelling) / 0.4) + 0.2 * clamp((hNorm - 0.8) / 0.15) + 0.15 * clamp((maxRun - 3) / 3) + 0.1 * clamp(switches / 4);
  if (digitRatio > 0.15 && digitRatio < 0.85) score += 0.1;
  return Math.round(clamp(score) * 1000) / 1000;
}

/**
 * Names that look generated and are not: operating-system connectivity probes seen in every
 * capture of such a system. Storage and CDN account names under private suffixes
 * (`x7k2.blob.core.windows.net`) are avoided by scoring the ICANN registrable label only.
 */
const KNOWN_BENIGN = new Set(['msftncsi.com', 'msftconnecttest.com']);

export function checkDga(ctx: CheckContext): void {
  if (!ctx.opts.heuristics || !ctx.opts.dga) return;
  const scores = new Map<string, number>();
  const perHost = new Map<string, { names: string[]; refs: EventRef[]; first: number; last: number; count: number }>();
  for (const [name, agg] of ctx.state.names) {
    if (!name.includes('.') || ctx.nameWhitelisted(name)) continue;
    const parts = ctx.domainOf(name, true);
    if (!parts || KNOWN_BENIGN.has(parts.domain)) continue;
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
