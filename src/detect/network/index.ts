/**
 * What the pipeline calls: `networkDetectors(options)` gives the detectors to run over network
 * events; `loadNetworkOptions` gathers indicators and whitelist (built-in TinyCheck defaults,
 * the store, `--iocs`/`--whitelist` files) into those options.
 */
import type { Detector } from '../types.js';
import { NetworkDetector } from './detector.js';
import type { NetworkOptions } from './options.js';
import { loadIndicators, type LoadOptions, type LoadReport } from '../ioc/load.js';

export { NetworkDetector, type NetworkFindings, type DestinationRow } from './detector.js';
export type { NetworkOptions, ActiveLookups } from './options.js';

export function networkDetectors(options: NetworkOptions = {}): Detector[] {
  return [new NetworkDetector(options)];
}

/** Indicators and whitelist for a run, plus what was loaded from where (for the summary). */
export async function loadNetworkOptions(load: LoadOptions, rest: Omit<NetworkOptions, 'iocs' | 'whitelist'> = {}): Promise<{ options: NetworkOptions; report: LoadReport }> {
  const { iocs, whitelist, report } = await loadIndicators(load);
  return { options: { ...rest, iocs, whitelist }, report };
}
