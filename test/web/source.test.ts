/**
 * The front end's own rule, checked on its source: evidence reaches the page only as text. No API
 * that parses markup or code from a string appears anywhere in web/src.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(tsx?|html)$/.test(name)) out.push(p);
  }
  return out;
}

test('web/src never turns a string into markup or code', () => {
  const banned = /dangerouslySetInnerHTML|\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(|setAttribute\(\s*['"]on|javascript:/;
  const found = files(join('web', 'src')).flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .map((line, i) => ({ f, i: i + 1, line }))
      .filter((x) => banned.test(x.line) && !x.line.trim().startsWith('//') && !x.line.trim().startsWith('*')),
  );
  assert.deepEqual(found.map((x) => `${x.f}:${x.i}: ${x.line.trim()}`), []);
  assert.ok(files(join('web', 'src')).length >= 10, 'the sources were read');
});
