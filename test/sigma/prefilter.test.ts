/**
 * The prefilter may only skip rules that cannot match. Checked three ways: Aho–Corasick against
 * `includes` on random strings (a property test), the literal read from regular expressions
 * against hand-worked cases, and whole SigmaHQ runs with and without the prefilter giving the
 * same alerts.
 */
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { AhoCorasick, LiteralSet } from '../../src/detect/sigma/aho-corasick.js';
import { SigmaDetector } from '../../src/detect/sigma/detector.js';
import { SigmaEngine } from '../../src/detect/sigma/engine.js';
import { findRegressionCases } from '../../src/detect/sigma/regression.js';
import { regexLiteral } from '../../src/detect/sigma/prefilter.js';
import type { Alert } from '../../src/detect/types.js';
import type { Event } from '../../src/normalize/event.js';
import { fileInput } from '../../src/sources/inputs.js';
import { chooseReader } from '../../src/sources/registry.js';
import { needShared, shared } from '../helpers/shared.js';
import { engineOf, rule, run, SYSMON } from './helpers.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('Aho-Corasick finds exactly what includes finds (random alphabets, overlapping patterns)', () => {
  const r = rng(7);
  const alphabet = 'abAB\\.-é';
  const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
  for (let round = 0; round < 300; round++) {
    const patterns = Array.from({ length: 1 + Math.floor(r() * 12) }, () => word(1 + Math.floor(r() * 4)).toLowerCase());
    const ac = new AhoCorasick(patterns);
    const folding = new AhoCorasick(patterns, { foldAscii: true });
    for (let k = 0; k < 20; k++) {
      const text = word(Math.floor(r() * 30));
      const lower = text.toLowerCase();
      assert.equal(ac.test(lower), patterns.some((p) => lower.includes(p)), `${JSON.stringify(patterns)} in ${JSON.stringify(lower)}`);
      const found = new Set<number>();
      ac.collect(lower, (i) => found.add(i));
      assert.deepEqual([...found].sort((a, b) => a - b), patterns.map((p, i) => (lower.includes(p) ? i : -1)).filter((i) => i >= 0));
      if (folding.foldsAscii) assert.equal(folding.test(text), patterns.some((p) => lower.includes(p)));
      // LiteralSet: case-insensitive on the text as written, ASCII and non-ASCII patterns alike
      const set = new Set<number>();
      new LiteralSet(patterns).collect(text, (i) => set.add(i));
      assert.deepEqual([...set].sort((a, b) => a - b), patterns.map((p, i) => (lower.includes(p) ? i : -1)).filter((i) => i >= 0));
    }
  }
  assert.equal(new AhoCorasick(['é']).foldsAscii, false, 'non-ASCII patterns: no folding, callers lower-case');
});

test('regexLiteral reads only literals every match must contain', () => {
  assert.equal(regexLiteral('\\w+`(?:\\w+|-|.)`[\\w+|\\s]'), '`');
  assert.equal(regexLiteral('(?i)foo\\.exe'), 'foo.exe');
  assert.equal(regexLiteral('xa+b'), 'xa'); // 'xa' and 'ab' are both required; 'xab' is not
  assert.equal(regexLiteral('ab?c'), 'a'); // 'b' optional: 'a' and 'c' separately
  assert.equal(regexLiteral('a{0,3}bcd'), 'bcd');
  assert.equal(regexLiteral('[abc]def(gh)+ij'), 'def');
  assert.equal(regexLiteral('abc|def'), undefined, 'top-level alternation');
  assert.equal(regexLiteral('q\\x41b'), undefined, 'escapes we do not model');
  assert.equal(regexLiteral('^\\s*$'), undefined);
});

test('a rule whose field is read through a fallback name still runs (Computer from NXLog Hostname)', () => {
  const kw = `keywords:\n    - 'mimikatz'\nselection:\n    Computer|contains: 'dc01'\n    EventID: 1\ncondition: selection and not keywords`;
  const many = Array.from({ length: 8 }, (_, i) => rule(`sel:\n    Image|endswith: '\\x${i}.exe'\ncondition: sel`, { id: `00000000-0000-4000-8000-00000000000${i}` }));
  const engine = engineOf([rule(kw, { id: '00000000-0000-4000-8000-0000000000aa' }), ...many].join('---\n'));
  assert.ok(engine.index.candidates('win:microsoft-windows-sysmon/operational', 1).prefilter, 'the list is long enough to be prefiltered');
  assert.equal(run(engine, [{ Channel: SYSMON, EventID: 1, Hostname: 'DC01.corp' }]).length, 1);
});

const skip = needShared('sigma', 'rules') || needShared('sigma-regression', 'regression_data');

test('SigmaHQ rules give the same alerts with and without the prefilter', { skip }, async () => {
  const dirs = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => shared('sigma', d));
  const engine = SigmaEngine.fromPaths(dirs);
  const events: Event[] = [];
  const files = findRegressionCases(shared('sigma-regression', 'regression_data')).map((c) => c.json!);
  // and three small Mordor recordings (NXLog JSON lines, ~1.3 MB)
  const mordor = shared('mordor', 'datasets', 'atomic', 'windows');
  const zips = ['persistence/host/cmd_userinitmprlogonscript_batch.zip', 'credential_access/host/psh_input_capture_promptforcreds.zip', 'execution/host/cmd_sharpview_pcre_net.zip'];
  const dir = mkdtempSync(join(tmpdir(), 'loupe-pf-'));
  try {
    for (const z of zips) {
      const out = join(dir, `${z.split('/').pop()}.json`);
      writeFileSync(out, execFileSync('unzip', ['-p', join(mordor, z)], { maxBuffer: 1 << 28 }));
      files.push(out);
    }
    for (const f of files) {
      const input = await fileInput(f);
      for await (const b of chooseReader(input)!.reader.read(input, { error: () => {} })) events.push(...b);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const runWith = (prefilter: boolean) => {
    engine.index.usePrefilter = prefilter;
    const det = new SigmaDetector(engine);
    const out: Alert[] = [];
    events.forEach((e, i) => det.onEvent(e, { eventId: String(i), emit: (a) => out.push(a) }));
    return out.map((a) => a.id).sort();
  };
  const without = runWith(false);
  const withPf = runWith(true);
  engine.index.usePrefilter = true;
  assert.ok(without.length >= 96, `${without.length} alerts`);
  console.log(`prefilter equivalence: ${events.length} events, ${without.length} alerts with and without`);
  assert.deepEqual(withPf, without);
});
