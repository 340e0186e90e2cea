import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shared, needShared } from '../helpers/shared.js';
import { analyzeTraces, matchRows, COMPARED, table, type Log } from './compare.js';
import { jsonToRow } from '../../src/sources/zeek/json.js';

const DAY2 = shared('mordor', 'datasets', 'compound', 'apt29', 'day2');

function hasUnzip(): boolean {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * NEWYORK.cap against the Zeek logs written from it. That Zeek (3.x, its own script set) named
 * services differently from current Zeek in two ways we do not imitate: multi-service SMB
 * connections in discovery order (`krb,smb,gssapi`, current Zeek sorts them) and no HTTP on the
 * WinRM port 5985. Pinned numbers may only go up.
 */
test('APT29 day 2: NEWYORK.cap against NEWYORK_conn.log and NEWYORK_dns.log', { skip: needShared('mordor', 'datasets', 'compound', 'apt29', 'day2') || (!hasUnzip() && 'unzip not installed') }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-apt29-'));
  try {
    execFileSync('unzip', ['-o', '-q', '-P', 'infected', join(DAY2, 'pcaps', 'NEWYORK.zip'), '-d', dir]);
    assert.ok(existsSync(join(dir, 'NEWYORK.cap')));
    const { rows, errors } = await analyzeTraces(dir, ['NEWYORK.cap'], false);
    // Seven segmentation-offload packets claim IP lengths beyond the frame: Zeek drops them too
    // (its weird.log for this capture has truncated_IP), and so do we, reporting each one.
    const weird = readFileSync(join(DAY2, 'zeek', 'individual_zeek_logs', 'NEWYORK_weird.log'), 'utf8');
    assert.match(weird, /"name":"truncated_IP"/);
    assert.equal(errors, 7);
    const totalsByLog: Record<string, { baseline: number; matched: number }> = {};
    const pinned: Record<string, number> = { conn: 284, dns: 153 };
    for (const log of ['conn', 'dns'] as Log[]) {
      const base = readFileSync(join(DAY2, 'zeek', 'individual_zeek_logs', `NEWYORK_${log}.log`), 'utf8')
        .split('\n').filter(Boolean).map((l) => jsonToRow(JSON.parse(l)).row);
      const cols = new Set(COMPARED[log].filter((f) => base.some((r) => f in r)));
      const s = matchRows(log, base, cols, rows[log] ?? [], false);
      totalsByLog[log] = { baseline: s.baseline, matched: s.matched };
      assert.ok(s.matched >= pinned[log]!, `${log}: ${s.matched} < ${pinned[log]} (${JSON.stringify(s.misses)})`);
    }
    // The capture's connection count is Zeek's (every connection has a row, none extra).
    assert.equal(rows.conn!.length, totalsByLog.conn!.baseline);
    console.log(table('APT29 day 2 NEWYORK.cap', { conn: totalsByLog.conn!, dns: totalsByLog.dns!, http: { baseline: 0, matched: 0 }, ssl: { baseline: 0, matched: 0 }, x509: { baseline: 0, matched: 0 }, files: { baseline: 0, matched: 0 } }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
