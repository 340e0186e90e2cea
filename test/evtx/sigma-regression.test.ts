/**
 * Every record of every sigma-regression `.evtx` equals the evtx crate's rendering in the sibling
 * `.json`, field by field, with the same number of records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { needShared, shared } from '../helpers/shared.js';
import { jsonDiff, readAll, splitConcatenatedJson } from './helpers.js';

const ROOT = shared('sigma-regression', 'regression_data');
const skip = needShared('sigma-regression', 'regression_data');

function evtxFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) evtxFiles(p, out);
    else if (name.endsWith('.evtx')) out.push(p);
  }
  return out;
}

const files = skip ? [] : evtxFiles(ROOT);
let passed = 0;
let records = 0;

test('sigma-regression: the 96 cases are there', { skip }, () => {
  assert.equal(files.length, 96);
});

for (const file of files) {
  const name = file.slice(ROOT.length + 1);
  test(`sigma-regression: ${name}`, async () => {
    const expected = splitConcatenatedJson(readFileSync(file.replace(/\.evtx$/, '.json'), 'utf8'));
    const got = await readAll(file);
    assert.deepEqual(got.errors, []);
    assert.equal(got.records.length, expected.length, 'record count');
    for (let i = 0; i < expected.length; i++) {
      const diff = jsonDiff(got.records[i].json, expected[i]);
      assert.deepEqual(diff, [], `record ${i} (id ${got.records[i].recordId})`);
    }
    records += expected.length;
    passed++;
  });
}

test('sigma-regression: summary', { skip }, () => {
  console.log(`evtx sigma-regression: ${passed}/${files.length} cases equal the crate's rendering (${records} records)`);
});
