/** v19 technique ids on SigmaHQ rules also name their v18 equivalent from the shipped table. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attackFromTags } from '../../src/detect/attack/tags.js';
import { technique } from '../../src/detect/attack/data.js';
import { V18_EQUIVALENT } from '../../src/detect/attack/equivalents.js';

test('T1685.001 (v19) also names T1562.002, which the shipped table knows; T1685 alone stays as written', () => {
  const t = attackFromTags(['attack.defense-impairment', 'attack.t1685.001']);
  assert.deepEqual(t.techniques, ['T1685.001', 'T1562.002']);
  assert.ok(!t.unknown.includes('attack.t1685.001'));
  assert.equal(technique('T1562.002')?.name, 'Disable Windows Event Logging');
  const parent = attackFromTags(['attack.t1685']);
  assert.deepEqual(parent.techniques, ['T1685']);
  assert.ok(parent.unknown.includes('attack.t1685'));
});

test('every equivalent is a technique of the shipped table, and none is itself a v19 id', () => {
  for (const [v19, v18] of Object.entries(V18_EQUIVALENT)) {
    assert.ok(technique(v18), `${v19} → ${v18} is in the table`);
    assert.equal(technique(v19), undefined, `${v19} is not`);
  }
});
