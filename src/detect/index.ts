/**
 * The detectors a run uses, built from the command line's options. Each detector family adds
 * itself here; the pipeline only sees the `Detector` interface.
 */
import { sigmaFamily } from './sigma/family.js';
import type { Detector } from './types.js';

export interface DetectorOptions {
  /** Sigma rule folders or files (`--rules`), in addition to the built-in rules. */
  rules?: string[];
  /** Leave Loupe's built-in Sigma rules out. */
  noBuiltinRules?: boolean;
  /** Indicator files (`--iocs`) and whitelist files (`--whitelist`). */
  iocs?: string[];
  whitelist?: string[];
  /** Language of alert texts. */
  lang?: string;
  /** The store file, for indicators imported with `loupe iocs import`. */
  db?: string;
  /** Network checks that look things up (name servers, WHOIS); off by default. */
  active?: boolean;
  /** Leave out TinyCheck's built-in indicator feed / whitelist. */
  noDefaultIocs?: boolean;
  noDefaultWhitelist?: boolean;
  /** Process chains: threshold, roots, allow-rule files, plugin folder (see chains/family.ts). */
  chains?: import('./chains/family.js').ChainFamilyOptions;
}

export interface DetectorSet {
  detectors: Detector[];
  /** What was loaded, and what could not be (shown in the summary). */
  notes: string[];
}

type Family = (opts: DetectorOptions) => Promise<DetectorSet>;

/** One entry per detector family, in the order they see each event. */
const FAMILIES: Family[] = [
  (o) => import('./sigma/family.js').then((m) => m.sigmaFamily(o)),
  (o) => import('./network/family.js').then((m) => m.networkFamily(o)),
  // Last: it scores process chains from the alerts every family above raised on their members.
  (o) => import('./chains/family.js').then((m) => m.chainFamily(o)),
];

export async function buildDetectors(opts: DetectorOptions): Promise<DetectorSet> {
  const out: DetectorSet = { detectors: [], notes: [] };
  for (const family of FAMILIES) {
    const s = await family(opts);
    out.detectors.push(...s.detectors);
    out.notes.push(...s.notes);
  }
  return out;
}
