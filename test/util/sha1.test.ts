/** Node and edge ids are SHA-1 prefixes: the one-call path must give SHA-1 itself (FIPS 180 test vectors). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sha1Hex } from '../../src/util/sha1.js';

test('sha1Hex gives the FIPS 180 test vectors', () => {
  assert.equal(sha1Hex('abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.equal(sha1Hex(''), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
  assert.equal(sha1Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '84983e441c3bd26ebaae4aa1f95129e5e54670f1');
});
