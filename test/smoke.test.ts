import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LEVELS, levelRank } from '../src/detect/types.js';

test('Sigma levels rank in the specification order', () => {
  assert.deepEqual(LEVELS, ['informational', 'low', 'medium', 'high', 'critical']);
  assert.equal(levelRank('high'), 3);
});
