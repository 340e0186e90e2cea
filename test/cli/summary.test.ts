/** The closing summary's text: what was read, what was in error, what a clean read held. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summaryText, type SummaryData } from '../../src/cli/summary.js';
import type { FileSummary } from '../../src/pipeline/analyze.js';

function data(files: FileSummary[]): SummaryData {
  const events = files.reduce((n, f) => n + f.events, 0);
  const errors = files.reduce((n, f) => n + f.errors, 0);
  return {
    caseName: 'c',
    db: ':memory:',
    result: { files, events, errors, unreadable: 0, alerts: 0, ms: 1 },
    counts: { events, nodesByType: {}, edgesByType: {}, alertsByLevel: {} },
    alerts: [],
    notes: [],
  };
}

test('a file read cleanly that gave no events says what it held; files with events or errors are not listed there', () => {
  const out = summaryText(data([
    { name: 'loaded_scripts.log', format: 'zeek-json', events: 0, errors: 0, errorSamples: [], facts: { 'loaded_scripts rows': 480 }, ms: 1 },
    { name: 'empty.json', format: 'windows-json', events: 0, errors: 0, errorSamples: [], ms: 1 },
    { name: 'conn.log', format: 'zeek-json', events: 12, errors: 0, errorSamples: [], ms: 1 },
    { name: 'bad.json', format: 'windows-json', events: 0, errors: 2, errorSamples: ['line 1: not JSON'], ms: 1 },
  ]));
  const section = out.slice(out.indexOf('Read, no events'), out.indexOf('Formats'));
  assert.match(section, /loaded_scripts\.log: loaded_scripts rows: 480/);
  assert.match(section, /empty\.json: no records/);
  assert.doesNotMatch(section, /conn\.log|bad\.json/);
  assert.match(out, /Records in error \(first reasons\)\n {2}bad\.json: 2\n {4}- line 1: not JSON/);
});
