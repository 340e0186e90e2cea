/**
 * A short fuzz run (a few hundred mutants of real samples): no exception escapes the reader, no
 * mutant takes long, memory does not pile up. The long run is `npm run fuzz -- evtx`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { needShared, shared } from '../helpers/shared.js';
import { runFuzz } from './fuzz-run.js';

const SAMPLES = [
  'Application_no_crc32.evtx',
  'Microsoft-Windows-HelloForBusiness%4Operational.evtx',
  'Microsoft-Windows-LanguagePackSetup%4Operational.evtx',
  'issue_201.evtx',
  'new-user-security.evtx',
  'Security_short_selected.evtx',
  'E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx',
];

test('fuzz (short): 336 mutants, no crash, no hang', { skip: needShared('evtx', 'samples') }, async () => {
  const stats = await runFuzz({
    files: SAMPLES.map((f) => shared('evtx', 'samples', f)),
    iterations: 336,
    seed: 20240601,
    boundMs: 5000,
    xml: true,
  });
  console.log(
    `evtx fuzz (short): ${stats.mutants} mutants, ${stats.crashes.length} crashes, ${stats.slow.length} over 5 s ` +
      `(slowest ${stats.maxMs.toFixed(0)} ms); reported ${stats.recordErrors} record errors, ${stats.chunkErrors} chunk errors, ` +
      `${stats.warnings} warnings; ${stats.records} records read; peak RSS ${stats.peakRssMb.toFixed(0)} MB`,
  );
  assert.deepEqual(stats.crashes, []);
  assert.deepEqual(stats.slow, []);
  assert.ok(stats.recordErrors + stats.chunkErrors + stats.warnings > 0, 'damage was reported');
});
