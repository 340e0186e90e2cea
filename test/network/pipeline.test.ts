// The network detectors inside `loupe analyze`'s pipeline: --iocs and --lang reach them through
// buildDetectors, the alerts land in the store, and the same findings give the network report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDetectors } from '../../src/detect/index.js';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { networkFindingsOf, renderNetworkReportHtml } from '../../src/report/network-report.js';
import { conn, dns } from './helpers.js';

test('loupe analyze runs the network checks with --iocs and --lang, alerts in the store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-net-'));
  const prevDb = process.env.LOUPE_DB;
  process.env.LOUPE_DB = join(dir, 'none.db'); // no stored indicators
  try {
    const logs = join(dir, 'logs');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'dns.log'), `${dns('c2.spy-example.com', ['93.184.216.77'])}\n`);
    writeFileSync(join(logs, 'conn.log'), `${conn('93.184.216.77', 443)}\n`);
    const feed = join(dir, 'feed.txt');
    writeFileSync(feed, 'spy-example.com\n');
    const { detectors, notes } = await buildDetectors({ iocs: [feed], lang: 'de', noBuiltinRules: true });
    assert.ok(notes.some((n) => /^network: \d+ indicators/.test(n)), notes.join('\n'));
    const store = openSqliteStore(join(dir, 'x.db'));
    try {
      const c = store.openCase('t');
      const r = await analyzePaths([logs], { store: c, detectors });
      assert.equal(r.events, 2);
      const hit = c.alerts().find((a) => a.ruleId === 'IOC-03');
      assert.ok(hit, JSON.stringify(c.alerts().map((a) => a.ruleId)));
      assert.equal(hit.title, 'Kommunikation mit c2.spy-example.com, einer bekannten Domain (suspect)');
      assert.equal(hit.level, 'high');
      const findings = await networkFindingsOf(detectors);
      assert.ok(findings);
      assert.match(renderNetworkReportHtml({ findings }, 'de'), /Verdächtige Kommunikation/);
    } finally {
      store.close();
    }
  } finally {
    if (prevDb === undefined) delete process.env.LOUPE_DB;
    else process.env.LOUPE_DB = prevDb;
    rmSync(dir, { recursive: true, force: true });
  }
});
