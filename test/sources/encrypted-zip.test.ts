/**
 * Encrypted zips (ZipCrypto), as malware exchanges share samples: the conventional password
 * `infected` is tried by default, others come from --archive-password.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandPaths, type ExpandOptions } from '../../src/sources/inputs.js';
import { makeZip } from '../helpers/zip.js';
import { needShared, shared } from '../helpers/shared.js';

async function members(path: string, opts?: ExpandOptions) {
  const out: Array<{ name: string; sha1?: string; text?: string; problem?: string }> = [];
  for await (const x of expandPaths([path], opts)) {
    if ('problem' in x) {
      out.push({ name: x.problem.name, problem: x.problem.reason });
      continue;
    }
    const h = createHash('sha1');
    const parts: Buffer[] = [];
    for await (const c of x.input.open() as AsyncIterable<Buffer>) {
      h.update(c);
      if (parts.length < 4) parts.push(c);
    }
    out.push({ name: x.input.name, sha1: h.digest('hex'), text: Buffer.concat(parts).toString('latin1', 0, 200) });
  }
  return out;
}

test('APT29 day 2 capture: decrypted with "infected", its SHA-1 equals the one written in the same archive', { skip: needShared('mordor', 'datasets', 'compound', 'apt29', 'day2') }, async () => {
  const got = await members(shared('mordor', 'datasets', 'compound', 'apt29', 'day2', 'pcaps', 'NEWYORK.zip'));
  const cap = got.find((m) => m.name.endsWith('!/NEWYORK.cap'))!;
  const sum = got.find((m) => m.name.endsWith('!/NEWYORK.cap.sha1sum'))!;
  assert.ok(cap.sha1 && sum.text, JSON.stringify(got));
  assert.equal(sum.text!.split(/\s+/)[0].toLowerCase(), cap.sha1);
});

test('a password given on the command line opens a member; without it the member is reported, not dropped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-zipcrypto-'));
  const p = join(dir, 'sample.zip');
  const data = Buffer.from('{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"h"}\n'.repeat(50));
  writeFileSync(p, makeZip([
    { name: 'deflated.json', data, password: 's3cret' },
    { name: 'stored.json', data, password: 's3cret', deflate: false },
    { name: 'plain.json', data },
  ]));
  const want = createHash('sha1').update(data).digest('hex');
  const opened = await members(p, { passwords: ['wrong', 's3cret'] });
  assert.deepEqual(opened.map((m) => [m.name.split('!/')[1], m.sha1]), [['deflated.json', want], ['stored.json', want], ['plain.json', want]]);
  // Options left undefined (the CLI passes its flags as they are) keep their defaults.
  const defaults = await members(p, { passwords: undefined, maxRatio: undefined, maxBytes: undefined, maxDepth: undefined });
  assert.equal(defaults[2].sha1, want);
  assert.match(defaults[0].problem!, /encrypted and none of the passwords given fits/);
  const locked = await members(p);
  assert.match(locked[0].problem!, /encrypted and none of the passwords given fits/);
  assert.match(locked[1].problem!, /encrypted and none of the passwords given fits/);
  assert.equal(locked[2].sha1, want);
});
