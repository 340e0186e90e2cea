/**
 * The evtx crate's snapshot renderings (../shared/data/evtx/snapshots, from its
 * tests/test_record_samples.rs): the same record of the same sample, rendered the same way. The
 * table names the sample and record each snapshot was taken from in the crate's test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { needShared, shared } from '../helpers/shared.js';
import { jsonDiff, readAll } from './helpers.js';

const CAPI2 = 'E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx';

/** snapshot → [sample, record id (null = first record), separate JSON attributes]. */
const CASES: Record<string, [string, number | null, boolean]> = {
  event_json_sample: ['security.evtx', null, false],
  event_xml_sample: ['security.evtx', null, false],
  event_json_sample_with_event_data: ['2-system-Security-dirty.evtx', null, false],
  event_xml_sample_with_event_data: ['2-system-Security-dirty.evtx', null, false],
  event_json_sample_with_event_data_with_attributes_and_text: ['system.evtx', null, false],
  event_xml_sample_with_event_data_with_attributes_and_text: ['system.evtx', null, false],
  event_xml_sample_with_user_data: [CAPI2, null, false],
  event_xml_sample_with_entity_ref: [CAPI2, 28, false],
  event_xml_sample_with_entity_ref_2: [CAPI2, 25, false],
  event_json_with_multiple_nodes_same_name: [CAPI2, 28, false],
  event_json_with_multiple_nodes_same_name_separate: [CAPI2, 28, true],
  event_json_sample_with_separate_json_attributes: ['Application.evtx', null, true],
  event_json_with_multiple_data_elements: ['MSExchange_Management_wec.evtx', null, false],
  'event_json_with_multiple_data_elements-2': ['MSExchange_Management_wec.evtx', null, false],
  event_json_multiple_empty_data_nodes_not_ignored: ['issue_201.evtx', null, true],
  event_json_missing_string_cache_entry: ['security_bad_string_cache.evtx', null, true],
  event_json_with_size_t: ['Security_with_size_t.evtx', 196, false],
  event_xml_sample_with_string_with_trailing_spaces: ['security.evtx', 2260, false],
};

const skip = needShared('evtx', 'snapshots');
const snaps = skip ? [] : readdirSync(shared('evtx', 'snapshots')).filter((f) => f.endsWith('.snap')).sort();
let passed = 0;
let skipped = 0;

test('snapshots: every snapshot has a row in the table', { skip }, () => {
  for (const f of snaps) assert.ok(CASES[f.replace(/^test_record_samples__/, '').replace(/\.snap$/, '')], f);
});

for (const f of snaps) {
  const name = f.replace(/^test_record_samples__/, '').replace(/\.snap$/, '');
  const row = CASES[name];
  if (!row) continue;
  const [sample, recordId, separate] = row;
  const path = shared('evtx', 'samples', sample);
  const missing = existsSync(path) ? false : `sample ${sample} is not among the shared samples`;
  if (missing) skipped++;
  test(`snapshot: ${name}`, { skip: missing }, async () => {
    const text = readFileSync(shared('evtx', 'snapshots', f), 'utf8');
    // insta's header, then the rendering.
    const body = text.slice(text.indexOf('\n---\n') + 5);
    const xml = body.startsWith('<?xml');
    const got = await readAll(path, { json: !xml, xml, separateAttributes: separate });
    const rec = recordId === null ? got.records[0] : got.records.find((r) => r.recordId === recordId);
    assert.ok(rec, `record ${recordId} in ${sample}`);
    if (xml) assert.equal(rec.xml!.trimEnd(), body.trimEnd());
    else assert.deepEqual(jsonDiff(rec.json, JSON.parse(body)), []);
    passed++;
  });
}

test('snapshots: summary', { skip }, () => {
  console.log(`evtx snapshots: ${passed}/${snaps.length} reproduced, ${skipped} skipped (their sample is not in the shared data)`);
});
