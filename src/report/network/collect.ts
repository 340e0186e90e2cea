/**
 * Runs the network detector over files or folders (Zeek logs, pcaps, Suricata EVE) without a
 * store: for the network report, the benchmark and the tests. Inputs go through the same
 * readers `loupe analyze` uses; damaged records are counted per file, never fatal.
 */
import { expandPaths } from '../../sources/inputs.js';
import { chooseReader } from '../../sources/registry.js';
import { NetworkDetector, type NetworkFindings, type NetworkOptions } from '../../detect/network/index.js';

export interface EvidenceFile {
  name: string;
  format?: string;
  records: number;
  errors: number;
  /** The first few errors, with where they were. */
  errorSamples: string[];
}

export interface NetworkRun {
  findings: NetworkFindings;
  evidence: EvidenceFile[];
}

export async function analyseNetworkPaths(paths: string[], options: NetworkOptions = {}): Promise<NetworkRun> {
  const det = new NetworkDetector(options);
  const evidence: EvidenceFile[] = [];
  for await (const x of expandPaths(paths)) {
    if ('problem' in x) {
      evidence.push({ name: x.problem.name, records: 0, errors: 1, errorSamples: [x.problem.reason] });
      continue;
    }
    const input = x.input;
    const file: EvidenceFile = { name: input.name, records: 0, errors: 0, errorSamples: [] };
    evidence.push(file);
    const chosen = chooseReader(input);
    if (!chosen) {
      file.errors++;
      file.errorSamples.push('not a format Loupe reads');
      continue;
    }
    file.format = chosen.reader.format;
    const ctx = {
      error: (where: { line?: number; record?: number; offset?: number }, reason: string) => {
        file.errors++;
        if (file.errorSamples.length < 5) file.errorSamples.push(`${JSON.stringify(where)} ${reason}`);
      },
    };
    try {
      for await (const batch of chosen.reader.read(input, ctx)) {
        for (const ev of batch) {
          file.records++;
          det.onEvent(ev, { eventId: `${input.name}#${ev.origin.record ?? file.records}`, emit: () => undefined });
        }
      }
    } catch (err) {
      ctx.error({}, `reader stopped: ${(err as Error).message}`);
    }
  }
  return { findings: await det.analyse(), evidence };
}
