/**
 * Mutated captures for robustness runs: truncations, flipped bytes, wrong record and block
 * lengths, bad options, inserted and random bytes. Each run must end without throwing, within a
 * time bound, with problems reported as errors.
 */
import { readFileSync, existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { captureRecords } from '../../src/sources/pcap/reader.js';
import { shared } from '../helpers/shared.js';
import { dnsMessage, eth, httpSession, pcap, pcapng, udp } from './build.js';

/** Small deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
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

export function seeds(): Array<{ name: string; buf: Buffer }> {
  const out: Array<{ name: string; buf: Buffer }> = [
    { name: 'built-http.pcap', buf: pcap(httpSession(1600000000, '<html>hi</html>')) },
    { name: 'built-http-ns-be.pcap', buf: pcap(httpSession(1600000000, 'x'.repeat(3000)), { nano: true, bigEndian: true }) },
    { name: 'built-dns.pcapng', buf: pcapng([{ ts: 1, data: eth(udp('10.0.0.1', 1111, '10.0.0.2', 53, dnsMessage(7, 'a.example.org'))) }, { ts: 1.1, data: udp('10.0.0.2', 53, '10.0.0.1', 1111, dnsMessage(7, 'a.example.org', { ip: '1.2.3.4', ttl: 60 })), iface: 1 }], [{ linktype: 1 }, { linktype: 101, tsresol: 9 }]) },
  ];
  const traces = ['http/get.pcap', 'tls/tls-conn-with-extensions.pcap', 'dns-two-responses.pcap', 'pcapng-multi-interface.pcapng', 'tunnels/gtp/gtp1_gn_normal_incl_fragmentation.pcap', 'ipv6-fragmented-dns.pcap', 'tunnels/vxlan-encapsulated-igmp-v2.pcap', 'http/multipart-form-data.pcap'];
  for (const t of traces) {
    const p = shared('zeek', 'traces', t);
    if (!existsSync(p)) continue;
    let b = readFileSync(p);
    if (b[0] === 0x1f && b[1] === 0x8b) b = gunzipSync(b);
    if (b.length <= 512 * 1024) out.push({ name: t, buf: b });
  }
  return out;
}

export function mutate(seed: Buffer, r: () => number): { kind: string; buf: Buffer } {
  const b = Buffer.from(seed);
  const at = () => Math.floor(r() * b.length);
  const kind = Math.floor(r() * 8);
  switch (kind) {
    case 0:
      return { kind: 'truncate', buf: b.subarray(0, at()) };
    case 1: {
      const n = 1 + Math.floor(r() * 32);
      for (let i = 0; i < n; i++) b[at()] = Math.floor(r() * 256);
      return { kind: 'flip bytes', buf: b };
    }
    case 2: {
      // A length-looking field (4 aligned bytes) set to something absurd.
      const o = Math.max(24, at() & ~3);
      if (o + 4 <= b.length) b.writeUInt32LE(Math.floor(r() * 0xffffffff), o);
      return { kind: 'wrong length', buf: b };
    }
    case 3: {
      const o = at();
      const ins = Buffer.alloc(1 + Math.floor(r() * 64));
      for (let i = 0; i < ins.length; i++) ins[i] = Math.floor(r() * 256);
      return { kind: 'insert bytes', buf: Buffer.concat([b.subarray(0, o), ins, b.subarray(o)]) };
    }
    case 4: {
      const out = Buffer.alloc(64 + Math.floor(r() * 4096));
      for (let i = 0; i < out.length; i++) out[i] = Math.floor(r() * 256);
      b.copy(out, 0, 0, Math.min(24, b.length));
      return { kind: 'random body', buf: out };
    }
    case 5: {
      // Bad options: in pcapng, option codes and lengths sit after block headers.
      for (let i = 0; i < 8; i++) {
        const o = at() & ~1;
        if (o + 2 <= b.length) b.writeUInt16LE(Math.floor(r() * 65536), o);
      }
      return { kind: 'bad options', buf: b };
    }
    case 6: {
      // Duplicate a slice (retransmissions, overlapping records).
      const s = at();
      const e = Math.min(b.length, s + Math.floor(r() * 2048));
      return { kind: 'duplicate slice', buf: Buffer.concat([b.subarray(0, e), b.subarray(s, e), b.subarray(e)]) };
    }
    default: {
      // Zero a run of bytes (lengths and addresses become 0).
      const s = at();
      b.fill(0, s, Math.min(b.length, s + 1 + Math.floor(r() * 40)));
      return { kind: 'zero run', buf: b };
    }
  }
}

export interface FuzzOutcome {
  errors: number;
  records: number;
  ms: number;
}

export async function runOne(buf: Buffer): Promise<FuzzOutcome> {
  const t0 = performance.now();
  let errors = 0;
  let records = 0;
  for await (const recs of captureRecords(Readable.from([buf]), { error: () => { errors++; } }, { validateChecksums: true })) records += recs.length;
  return { errors, records, ms: performance.now() - t0 };
}
