import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineOf, rule, run, SYSMON } from './helpers.js';

const base = rule(`selection:\n    Image|endswith: '\\rar.exe'\ncondition: selection`, {
  id: '6f3e2987-db24-4c78-a860-b4f4095a7095',
  logsource: 'category: process_creation\nproduct: windows',
});
const filter = (rules: string, logsource = 'category: process_creation\n    product: windows') =>
  `title: Filter admin accounts\nid: 55555555-5555-4555-8555-555555555555\nlogsource:\n    ${logsource}\nfilter:\n    rules:${rules}\n    selection:\n        User|startswith: 'adm_'\n    condition: not selection\n`;
const ev = (user: string) => ({ Channel: SYSMON, EventID: 1, Image: 'C:\\x\\rar.exe', User: user });

test('a filter naming the rule ANDs its condition into it', () => {
  const engine = engineOf([base, filter('\n        - 6f3e2987-db24-4c78-a860-b4f4095a7095')].join('---\n'));
  assert.deepEqual(engine.failures, []);
  assert.equal(run(engine, [ev('adm_bob')]).length, 0);
  assert.equal(run(engine, [ev('alice')]).length, 1);
  assert.deepEqual(engine.index.rules[0]!.filters, ['55555555-5555-4555-8555-555555555555']);
});

test("rules: any applies to every rule of the filter's log source, and only those", () => {
  assert.equal(run(engineOf([base, filter(' any')].join('---\n')), [ev('adm_x')]).length, 0);
  const other = filter(' any', 'product: linux');
  assert.equal(run(engineOf([base, other].join('---\n')), [ev('adm_x')]).length, 1);
});

test('a filter naming another rule leaves this one alone', () => {
  const engine = engineOf([base, filter('\n        - 00000000-0000-4000-8000-00000000ffff')].join('---\n'));
  assert.equal(run(engine, [ev('adm_bob')]).length, 1);
});
