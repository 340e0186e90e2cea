/**
 * Feeds small hand-written Zeek logs (JSON lines, as Zeek's JSON writer produces them) through
 * the Zeek log reader and the network detector. Rows are written with `conn()`, `dns()`...,
 * which only fill the fields the test is about plus what Zeek always writes.
 */
import { Readable } from 'node:stream';
import { zeekJsonReader } from '../../src/sources/zeek/reader.js';
import type { Input } from '../../src/sources/types.js';
import type { Event } from '../../src/normalize/event.js';
import { NetworkDetector, type NetworkFindings, type NetworkOptions } from '../../src/detect/network/index.js';
import { IocIndex, Whitelist } from '../../src/detect/ioc/ioc-index.js';
import type { Indicator, IocType } from '../../src/detect/ioc/types.js';

export const DEVICE = '192.168.100.2';
let uidCounter = 0;
const uid = () => `C${(++uidCounter).toString(36).padStart(8, '0')}`;

type Fields = Record<string, unknown>;
const line = (path: string, f: Fields) => JSON.stringify({ _path: path, ...f });

export function conn(dst: string, port: number, f: Fields = {}): string {
  return line('conn', { ts: 1700000000, uid: uid(), 'id.orig_h': DEVICE, 'id.orig_p': 50000, 'id.resp_h': dst, 'id.resp_p': port, proto: 'tcp', conn_state: 'SF', orig_bytes: 100, resp_bytes: 200, ...f });
}

export function dns(query: string, answers: string[] | undefined, f: Fields = {}): string {
  return line('dns', {
    ts: 1699999999,
    uid: uid(),
    'id.orig_h': DEVICE,
    'id.orig_p': 40000,
    'id.resp_h': '192.168.100.1',
    'id.resp_p': 53,
    proto: 'udp',
    query,
    qtype_name: 'A',
    rcode_name: answers && answers.length ? 'NOERROR' : 'NXDOMAIN',
    ...(answers ? { answers } : {}),
    ...f,
  });
}

export function http(dst: string, host: string, f: Fields = {}): string {
  return line('http', { ts: 1700000001, uid: uid(), 'id.orig_h': DEVICE, 'id.orig_p': 50001, 'id.resp_h': dst, 'id.resp_p': 80, trans_depth: 1, method: 'GET', host, uri: '/', ...f });
}

export function ssl(dst: string, port: number, f: Fields = {}): string {
  return line('ssl', { ts: 1700000002, uid: uid(), 'id.orig_h': DEVICE, 'id.orig_p': 50002, 'id.resp_h': dst, 'id.resp_p': port, version: 'TLSv12', cipher: 'TLS_AES_128_GCM_SHA256', established: true, ...f });
}

export function x509(fingerprint: string, f: Fields = {}): string {
  return line('x509', { ts: 1700000002, fingerprint, 'certificate.version': 3, 'certificate.subject': 'CN=server', 'certificate.issuer': 'CN=Some CA,O=Some CA Inc', 'certificate.not_valid_before': 1600000000, 'certificate.not_valid_after': 1800000000, ...f });
}

export function files(f: Fields): string {
  return line('files', { ts: 1700000003, fuid: `F${uid()}`, source: 'HTTP', ...f });
}

export function idsAlert(src: string, dst: string, f: Fields): string {
  // Suricata alerts travel as `ids_alert` rows; the JSON reader keeps `_path`.
  return line('ids_alert', { ts: 1700000004, 'id.orig_h': src, 'id.orig_p': 1234, 'id.resp_h': dst, 'id.resp_p': 80, proto: 'tcp', ...f });
}

function input(name: string, text: string): Input {
  const buf = Buffer.from(text.endsWith('\n') ? text : `${text}\n`);
  return { name, size: buf.length, head: buf.subarray(0, 65536), open: () => Readable.from([buf]) };
}

/** Reads the logs (name → JSON lines) into events, failing the test on any reader error. */
export async function readLogs(logs: Record<string, string[]>): Promise<Event[]> {
  const out: Event[] = [];
  for (const [name, lines] of Object.entries(logs)) {
    const errors: string[] = [];
    for await (const batch of zeekJsonReader.read(input(name, lines.join('\n')), { error: (w, r) => errors.push(`${name} ${JSON.stringify(w)} ${r}`) })) out.push(...batch);
    if (errors.length) throw new Error(errors.join('\n'));
  }
  return out;
}

export async function analyse(logs: Record<string, string[]>, options: NetworkOptions = {}): Promise<NetworkFindings> {
  const events = await readLogs(logs);
  const det = new NetworkDetector(options);
  events.forEach((e, i) => det.onEvent(e, { eventId: `${e.origin.file}#${e.origin.record ?? i}`, emit: () => undefined }));
  return det.analyse();
}

export const ind = (type: IocType, value: string, tag = 'stalkerware'): Indicator => ({ type, value, tag, tlp: 'white', source: 'test' });

/** The indicators most tests use (written by hand, like a small TinyCheck feed). */
export const TEST_IOCS = IocIndex.from([
  ind('domain', 'evil.com'),
  ind('domain', 'gps.trackerdomain.com', 'tracker'),
  ind('freedns', 'ddns.net', 'suspect'),
  ind('tld', '.xyz', 'suspect'),
  ind('ip4', '198.51.100.66', 'apt'),
  ind('ip6', '2001:db8::66', 'apt'),
  ind('cidr', '203.0.113.0/24', 'suspect'),
  ind('cidr', '2001:db8:bad::/48', 'suspect'),
  ind('sha1cert', 'a'.repeat(40)),
  ind('ja3', 'b'.repeat(32), 'cybercrime'),
  ind('md5', 'c'.repeat(32), 'spyware'),
  ind('url', 'http://files.example.net/payload.bin', 'apt'),
  ind('ns', 'njalla.no', 'suspect'),
]);

export const TEST_WHITELIST = Whitelist.from([ind('domain', 'google.com'), ind('cidr', '192.168.0.0/16'), ind('ip4', '8.8.8.8')]);

export const OPTS: NetworkOptions = { iocs: TEST_IOCS, whitelist: TEST_WHITELIST };

/** Rule ids that fired, with their subject (`IOC-03 evil.com`), sorted. */
export function fired(f: NetworkFindings, rule?: string): string[] {
  return f.alerts
    .filter((a) => rule === undefined || a.ruleId === rule)
    .map((a) => `${a.ruleId} ${String(a.details?.subject ?? '')}`)
    .sort();
}
