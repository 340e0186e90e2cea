import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Runs several CLI invocations in one child process (the test runner owns this process's
 * stdout), each one's output and exit code captured separately.
 */
function runAll(calls: string[][]): Array<{ code: number; out: string }> {
  const mainPath = pathToFileURL(fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))).href;
  const code = `
    const { main } = await import(${JSON.stringify(mainPath)});
    const results = [];
    const realOut = process.stdout.write.bind(process.stdout);
    for (const args of ${JSON.stringify(calls)}) {
      let out = '';
      process.stdout.write = process.stderr.write = (s) => ((out += s), true);
      process.exitCode = undefined;
      const c = await main(['node', 'loupe', ...args]);
      results.push({ code: process.exitCode ?? c, out });
    }
    process.stdout.write = realOut;
    process.exitCode = 0;
    realOut(JSON.stringify(results));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Array<{ code: number; out: string }>;
}

test('loupe iocs import, list and remove against a store file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-iocs-'));
  try {
    const db = join(dir, 'x.db');
    const list = join(dir, 'feed.txt');
    writeFileSync(list, '# feed\nevil.com\n198.51.100.7\nnot an indicator\n');
    const [imp, again, listed, noFilter, byType, after, bogus] = runAll([
      ['iocs', 'import', list, '--tag', 'apt', '--db', db, '--json'],
      ['iocs', 'import', list, '--db', db, '--json'],
      ['iocs', 'list', '--db', db, '--json'],
      ['iocs', 'remove', '--db', db],
      ['iocs', 'remove', '--type', 'ip4', '--db', db],
      ['iocs', 'list', '--db', db, '--json'],
      ['iocs', 'import', list, '--type', 'bogus', '--db', db],
    ]);
    const doc = JSON.parse(imp!.out) as { added: number; files: Array<{ byType: Record<string, number>; issues: Array<{ line: number }> }> };
    assert.equal(doc.added, 2);
    assert.deepEqual(doc.files[0]!.byType, { domain: 1, ip4: 1 });
    // Line 4 ("not an indicator") is refused and reported by its number.
    assert.deepEqual(doc.files[0]!.issues.map((i) => i.line), [4]);
    // Importing again adds nothing: one row per (list, type, value).
    assert.equal((JSON.parse(again!.out) as { added: number }).added, 0);
    const rows = JSON.parse(listed!.out) as { total: number; rows: Array<{ value: string; tag: string }> };
    assert.equal(rows.total, 2);
    assert.deepEqual(rows.rows.map((r) => `${r.value}/${r.tag}`), ['evil.com/apt', '198.51.100.7/apt']);
    assert.equal(noFilter!.code, 2);
    assert.match(noFilter!.out, /say what to remove/);
    assert.match(byType!.out, /1 removed/);
    assert.equal((JSON.parse(after!.out) as { total: number }).total, 1);
    assert.match(bogus!.out, /unknown indicator type/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
