import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mutate, rng, runOne, seeds } from './fuzz-core.js';

// A short robustness run; `npm run fuzz -- pcap` runs 10,000 cases.
test('300 mutated captures: no crash, no hang, damage counted', async () => {
  const s = seeds();
  const r = rng(20260101);
  let withErrors = 0;
  for (let i = 0; i < 300; i++) {
    const seed = s[i % s.length]!;
    const m = mutate(seed.buf, r);
    const out = await runOne(m.buf);
    assert.ok(out.ms < 5000, `case ${i} (${seed.name}, ${m.kind}) took ${out.ms} ms`);
    if (out.errors > 0) withErrors++;
  }
  // Truncations and random bodies always leave a trace in the error count.
  assert.ok(withErrors > 50, `only ${withErrors} cases reported damage`);
});

import { readFileSync, existsSync } from 'node:fs';
import { shared } from '../helpers/shared.js';
import { zeekJsonReader, zeekTsvReader } from '../../src/sources/zeek/reader.js';
import { suricataEveReader } from '../../src/sources/suricata/reader.js';
import { bufferInput, readAll } from '../zeek/input.js';

test('200 mutated Zeek TSV / JSON logs and EVE lines: no crash, damage reported', async () => {
  const texts: Buffer[] = [];
  const tsv = shared('zeek', 'baselines', 'scripts.base.protocols.ssl.basic', 'x509.log');
  const json = shared('mordor', 'datasets', 'compound', 'apt29', 'day1', 'zeek', 'individual_zeek_logs', 'SCRANTON_http.log');
  if (existsSync(tsv)) texts.push(readFileSync(tsv));
  if (existsSync(json)) texts.push(readFileSync(json).subarray(0, 20000));
  texts.push(Buffer.from('{"timestamp":"2021-03-04T10:00:00.5Z","flow_id":1,"event_type":"dns","src_ip":"1.1.1.1","src_port":1,"dest_ip":"2.2.2.2","dest_port":53,"proto":"UDP","dns":{"rrname":"a.b","rrtype":"A"}}\n'));
  const r = rng(7);
  for (let i = 0; i < 200; i++) {
    const m = mutate(texts[i % texts.length]!, r);
    for (const reader of [zeekTsvReader, zeekJsonReader, suricataEveReader]) {
      const out = await readAll(reader, bufferInput(m.buf, 'fuzz.log'));
      assert.ok(Array.isArray(out.events));
    }
  }
});
