import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCondition } from '../../src/detect/sigma/condition.js';
import { engineOf, fires, loadError, rule, run } from './helpers.js';

const ids = `a:\n    A: '1'\nb:\n    B: '1'\nc:\n    C: '1'\n`;
const cond = (c: string) => `${ids}condition: ${c}`;
const ev = (a: boolean, b: boolean, c: boolean) => ({ A: a ? '1' : '0', B: b ? '1' : '0', C: c ? '1' : '0' });
const all8 = [false, true].flatMap((a) => [false, true].flatMap((b) => [false, true].map((c) => [a, b, c] as const)));

/** Checks a condition against a truth function over all 8 assignments of a, b, c. */
function truthTable(c: string, f: (a: boolean, b: boolean, c: boolean) => boolean) {
  for (const [a, b, cc] of all8) assert.equal(fires(cond(c), ev(a, b, cc)), f(a, b, cc), `${c} with a=${a} b=${b} c=${cc}`);
}

test('and, or, not and their precedence (or < and < not)', () => {
  truthTable('a and b', (a, b) => a && b);
  truthTable('a or b', (a, b) => a || b);
  truthTable('not a', (a) => !a);
  truthTable('a or b and c', (a, b, c) => a || (b && c));
  truthTable('not a and b', (a, b) => !a && b);
  truthTable('not a or b', (a, b) => !a || b);
  truthTable('not not a', (a) => a);
});

test('parentheses', () => {
  truthTable('(a or b) and c', (a, b, c) => (a || b) && c);
  truthTable('a and (b or c)', (a, b, c) => a && (b || c));
  truthTable('not (a or b)', (a, b) => !(a || b));
  truthTable('((a))', (a) => a);
});

test('1 of / all of patterns and them; identifiers starting with _ are not in them', () => {
  const d = `sel_a:\n    A: '1'\nsel_b:\n    B: '1'\n_hidden:\n    C: '1'\n`;
  assert.equal(fires(`${d}condition: 1 of sel_*`, ev(false, true, false)), true);
  assert.equal(fires(`${d}condition: all of sel_*`, ev(false, true, false)), false);
  assert.equal(fires(`${d}condition: all of sel_*`, ev(true, true, false)), true);
  assert.equal(fires(`${d}condition: 1 of them`, ev(false, false, true)), false, '_hidden is left out of them');
  assert.equal(fires(`${d}condition: all of them`, ev(true, true, false)), true, 'all of them needs no _hidden');
  assert.equal(fires(`${d}condition: 1 of _*`, ev(false, false, true)), true, 'an explicit pattern may name _ identifiers');
  assert.equal(fires(`${d}condition: 1 of *_b`, ev(false, true, false)), true, 'wildcard anywhere in the pattern');
  assert.equal(fires(`${d}condition: all of sel_* and not 1 of _*`, ev(true, true, true)), false);
});

test('N of x*: at least N of the identifiers', () => {
  truthTable('2 of them', (a, b, c) => [a, b, c].filter(Boolean).length >= 2);
  truthTable('3 of them', (a, b, c) => a && b && c);
});

test('a condition list ORs its conditions', () => {
  const d = `${ids}condition:\n    - a and b\n    - c`;
  for (const [a, b, c] of all8) assert.equal(fires(d, ev(a, b, c)), (a && b) || c);
});

test('selections: maps AND their fields, lists of maps OR them', () => {
  const map = `sel:\n    A: '1'\n    B: '1'\ncondition: sel`;
  assert.equal(fires(map, ev(true, false, false)), false);
  assert.equal(fires(map, ev(true, true, false)), true);
  const list = `sel:\n    - A: '1'\n    - B: '1'\ncondition: sel`;
  assert.equal(fires(list, ev(false, true, false)), true);
  assert.equal(fires(list, ev(false, false, true)), false);
});

test('condition errors are stated', () => {
  assert.match(loadError(`${ids}condition: a and d`), /'d', which is not a search identifier/);
  assert.match(loadError(`${ids}condition: 1 of x*`), /'x\*' matches no search identifier/);
  assert.match(loadError(`${ids}condition: (a and b`), /missing '\)'/);
  assert.match(loadError(`${ids}condition: a b`), /unexpected 'b'/);
  assert.match(loadError(`${ids}condition: a | count() > 5`), /correlation rule/);
  assert.match(loadError(`${ids}`), /no 'condition'/);
  assert.throws(() => parseCondition('and', ['a']), /unexpected/);
});

test('and, or, not are case-insensitive; identifiers are not', () => {
  truthTable('a AND b OR c', (a, b, c) => (a && b) || c);
  truthTable('a Or NOT b', (a, b) => a || !b);
  assert.match(loadError(`${ids}condition: A`), /'A', which is not a search identifier/);
});

test('a rule with several search identifiers fires once per event', () => {
  const engine = engineOf(rule(`${ids}condition: a or b or c`));
  assert.equal(run(engine, [ev(true, true, true)]).length, 1);
});
