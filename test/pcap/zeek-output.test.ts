import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shared, needShared } from '../helpers/shared.js';
import { pcapToZeek } from '../../src/cli/commands/pcap.js';
import { analyzeTraces } from './compare.js';
import { parseZeekTsv } from '../../src/sources/zeek/tsv.js';
import { SCHEMAS } from '../../src/sources/zeek/schema.js';
import { zeekJsonReader, zeekTsvReader } from '../../src/sources/zeek/reader.js';
import { fileInput, readAll } from '../zeek/input.js';

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return a === b;
}

const TRACES = ['wikipedia.pcap', 'http/get.pcap', 'tls/tls-conn-with-extensions.pcap', 'http/multipart-form-data.pcap', 'tunnels/gtp/gtp1_gn_normal_incl_fragmentation.pcap'];

test('round trip: our --zeek TSV and JSON logs read back into the records we wrote', { skip: needShared('zeek', 'traces') }, async () => {
  for (const t of TRACES) {
    const path = shared('zeek', 'traces', t);
    const { rows } = await analyzeTraces(shared('zeek', 'traces'), [t], false);
    for (const json of [false, true]) {
      const dir = mkdtempSync(join(tmpdir(), 'loupe-zeek-out-'));
      try {
        const res = await pcapToZeek(path, dir, { json });
        for (const f of readdirSync(dir)) {
          const log = f.replace(/\.log$/, '') as keyof typeof SCHEMAS;
          const ours = rows[log] ?? [];
          assert.equal(res.rows[log], ours.length, `${t} ${log}`);
          const input = fileInput(join(dir, f));
          assert.ok((json ? zeekJsonReader : zeekTsvReader).sniff(input) > 0.5, `${t} ${f} sniffed`);
          const read = await readAll(json ? zeekJsonReader : zeekTsvReader, input);
          assert.deepEqual(read.errors, [], `${t} ${f}`);
          assert.equal(read.events.length, ours.length);
          if (!json) {
            const back = parseZeekTsv(readFileSync(join(dir, f), 'utf8'));
            assert.equal(back.path, log);
            back.rows.forEach((r, i) => {
              for (const [field] of SCHEMAS[log].fields) assert.ok(same(r[field], ours[i]![field]), `${t} ${log} row ${i + 1} ${field}: ${JSON.stringify(ours[i]![field])} → ${JSON.stringify(r[field])}`);
            });
          } else {
            read.events.forEach((e, i) => {
              for (const [field] of SCHEMAS[log].fields) assert.ok(same(e.raw[field], ours[i]![field]), `${t} ${log} json row ${i + 1} ${field}`);
            });
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
});
