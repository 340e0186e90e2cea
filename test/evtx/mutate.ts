/**
 * Mutations of real EVTX files for fuzzing: bit flips, interesting bytes, truncations, chunks
 * swapped or zeroed, and size/offset fields set huge. Seeded, so a failing mutant can be rebuilt
 * from its seed and kind. Shared by the short fuzz test and `npm run fuzz -- evtx`.
 */

/** A small seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const MUTATIONS = [
  'bitflip',
  'bytes',
  'truncate',
  'swap-chunks',
  'zero-chunk',
  'zero-chunk-header',
  'huge-record-size',
  'huge-free-space',
  'huge-template-size',
  'huge-substitution-size',
  'huge-name-offset',
  'splice',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

const HEADER = 4096;
const CHUNK = 65536;
const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x0c, 0x0f, 0x21, 0x41, 0x81, 0x2a];
const HUGE32 = [0xffffffff, 0x7fffffff, 0x80000000, 0x10000, 0xffff, 0, 1, 27, 29];

function chunkCount(b: Buffer): number {
  return Math.max(0, Math.floor((b.length - HEADER) / CHUNK));
}

/** Offsets of record headers (`**\0\0`) in the file, found by scanning. */
function recordOffsets(b: Buffer): number[] {
  const out: number[] = [];
  for (let i = b.indexOf('**\0\0', HEADER, 'latin1'); i >= 0 && out.length < 5000; i = b.indexOf('**\0\0', i + 8, 'latin1')) out.push(i);
  return out;
}

/** Offsets of template-instance tokens followed by a plausible definition offset. */
function templateTokens(b: Buffer): number[] {
  const out: number[] = [];
  for (let i = HEADER; i + 10 < b.length && out.length < 2000; i++) {
    if (b[i] === 0x0c && b[i + 1] === 0x01) out.push(i);
  }
  return out;
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

/** A mutated copy of `src`. */
export function mutate(src: Buffer, kind: Mutation, seed: number): Buffer {
  const r = rng(seed);
  let b = Buffer.from(src);
  const n = chunkCount(b);
  const anyOffset = (): number => Math.floor(r() * b.length);
  const chunkStart = (): number => HEADER + Math.floor(r() * Math.max(1, n)) * CHUNK;
  switch (kind) {
    case 'bitflip': {
      const flips = 1 + Math.floor(r() * 32);
      for (let i = 0; i < flips; i++) {
        // Half the flips land in chunk headers and record starts, where damage bites hardest.
        const o = r() < 0.5 ? chunkStart() + Math.floor(r() * 600) : anyOffset();
        if (o < b.length) b[o] ^= 1 << Math.floor(r() * 8);
      }
      break;
    }
    case 'bytes': {
      const count = 1 + Math.floor(r() * 64);
      for (let i = 0; i < count; i++) b[anyOffset()] = pick(r, INTERESTING);
      break;
    }
    case 'truncate':
      b = b.subarray(0, Math.floor(r() * b.length));
      break;
    case 'swap-chunks': {
      if (n < 2) break;
      const i = Math.floor(r() * n);
      const j = Math.floor(r() * n);
      const a = Buffer.from(b.subarray(HEADER + i * CHUNK, HEADER + (i + 1) * CHUNK));
      b.copy(b, HEADER + i * CHUNK, HEADER + j * CHUNK, HEADER + (j + 1) * CHUNK);
      a.copy(b, HEADER + j * CHUNK);
      break;
    }
    case 'zero-chunk': {
      if (!n) break;
      const s = chunkStart();
      b.fill(0, s, s + CHUNK);
      break;
    }
    case 'zero-chunk-header': {
      if (!n) break;
      const s = chunkStart();
      b.fill(0, s, s + 512);
      break;
    }
    case 'huge-record-size': {
      const recs = recordOffsets(b);
      for (let i = 0; i < 1 + Math.floor(r() * 4) && recs.length; i++) b.writeUInt32LE(pick(r, HUGE32), pick(r, recs) + 4);
      break;
    }
    case 'huge-free-space': {
      if (!n) break;
      b.writeUInt32LE(pick(r, HUGE32), chunkStart() + 48);
      break;
    }
    case 'huge-template-size': {
      const ts = templateTokens(b);
      // Template id (4), definition offset (4): set the inline definition's data size huge, or the
      // definition offset anywhere.
      for (let i = 0; i < 1 + Math.floor(r() * 4) && ts.length; i++) {
        const t = pick(r, ts);
        if (r() < 0.5 && t + 34 < b.length) b.writeUInt32LE(pick(r, HUGE32), t + 10 + 20);
        else if (t + 10 < b.length) b.writeUInt32LE(pick(r, HUGE32), t + 6);
      }
      break;
    }
    case 'huge-substitution-size': {
      // Descriptor sizes are u16 right after the substitution count; hit a few near instances.
      const ts = templateTokens(b);
      for (let i = 0; i < 1 + Math.floor(r() * 8) && ts.length; i++) {
        const o = pick(r, ts) + 10 + Math.floor(r() * 200);
        if (o + 2 < b.length) b.writeUInt16LE(pick(r, [0xffff, 0x8000, 0, 1, 3]), o);
      }
      break;
    }
    case 'huge-name-offset': {
      // Element starts (0x01/0x41 + dependency id + data size) carry a name offset at +7.
      for (let i = 0; i < 16; i++) {
        const o = anyOffset();
        const k = b.indexOf(r() < 0.5 ? 0x41 : 0x01, o);
        if (k > 0 && k + 11 < b.length) b.writeUInt32LE(pick(r, HUGE32), k + 7);
      }
      break;
    }
    case 'splice': {
      const len = 1 + Math.floor(r() * 4096);
      const from = anyOffset();
      const to = anyOffset();
      b.copy(b, to, from, Math.min(b.length, from + len));
      break;
    }
  }
  return b;
}
