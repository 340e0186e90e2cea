/**
 * Every reader Loupe has, in the order ties are broken. A new format is one new module and one
 * line here.
 */
import type { Input, Reader } from './types.js';
import { zeekTsvReader, zeekJsonReader } from './zeek/reader.js';
import { pcapReader, pcapngReader } from './pcap/reader.js';
import { suricataEveReader } from './suricata/reader.js';
import { evtxJsonReader, nxlogJsonReader, winlogbeatJsonReader } from './windows-json.js';
import { macosMetadataReader } from './macos-metadata.js';
import { evtxReader } from './evtx/reader.js';
import { virusTotalReader } from './sandbox/virustotal.js';
import { procmonCsvReader } from './procmon-csv.js';
import { windowsXmlReader } from './windows-xml.js';
import { cuckooReader } from './sandbox/cuckoo.js';
import { fireEyeAxReader } from './sandbox/fireeye-ax.js';
import { fireEyeHxReader } from './sandbox/fireeye-hx.js';
import { genericJsonReader } from './generic-json.js';

export const READERS: Reader[] = [
  evtxReader,
  evtxJsonReader, nxlogJsonReader, winlogbeatJsonReader,
  macosMetadataReader,
  zeekTsvReader, zeekJsonReader,
  pcapReader, pcapngReader, suricataEveReader,
  virusTotalReader,
  procmonCsvReader,
  windowsXmlReader,
  cuckooReader, fireEyeAxReader, fireEyeHxReader,
  genericJsonReader,
];

/** The reader most confident about the input, or undefined when none recognises it. */
export function chooseReader(input: Input, options?: Record<string, unknown>): { reader: Reader; score: number } | undefined {
  let best: { reader: Reader; score: number } | undefined;
  for (const reader of READERS) {
    let score = 0;
    try {
      score = reader.sniff(input, options);
    } catch {
      score = 0;
    }
    if (score > 0 && (!best || score > best.score)) best = { reader, score };
  }
  return best;
}
