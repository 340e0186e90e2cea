/**
 * File identity: normalisePath skips its rewrites for paths none of them can touch. Property: on
 * random paths built from the characters the rewrites look at, the result equals that of doing
 * every rewrite. The rules themselves (docs/architecture.md) are checked by the hand cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalisePath, rewritePath } from '../../src/graph/keys.js';

test('normalisePath agrees with doing every rewrite, on 20,000 random paths', () => {
  const pieces = ['C:', 'c:', '\\', '\\\\', '/', '"', ' ', '\t', '%windir%', '%SystemRoot%', '\\SystemRoot', '\\??\\', '\\\\?\\', 'Windows', 'a.EXE', '?', '.', 'ü'];
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 20_000; i++) {
    let p = '';
    const len = 1 + rnd(7);
    for (let j = 0; j < len; j++) p += pieces[rnd(pieces.length)];
    assert.equal(normalisePath(p), rewritePath(p), JSON.stringify(p));
  }
});

test('normalisePath: hand-checked spellings of one file fold to one key', () => {
  const key = 'c:\\windows\\system32\\cmd.exe';
  for (const p of ['C:\\Windows\\System32\\cmd.exe', ' "C:\\Windows\\System32\\cmd.exe" ', 'C:/Windows/System32/cmd.exe', '\\??\\C:\\Windows\\System32\\cmd.exe', '\\SystemRoot\\System32\\cmd.exe', '%windir%\\System32\\cmd.exe', 'C:\\Windows\\\\System32\\cmd.exe'])
    assert.equal(normalisePath(p), key, p);
  assert.equal(normalisePath('\\\\server\\share\\\\x'), '\\\\server\\share\\x');
});
