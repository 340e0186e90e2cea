/**
 * TLS sessions: SSL-01..04 from TinyCheck (non-standard port, free issuer, self-signed,
 * SNI indicator) with exact host comparison instead of substring tests, and beyond it expired
 * and not-yet-valid certificates (SSL-05/06), TLS 1.3 sessions whose certificate cannot be seen
 * (SSL-07), certificate SHA-1 indicators from the chain (IOC-07) and JA3 indicators (IOC-11).
 */
import { dnField, normalizeDn, occ, type CheckContext } from './context.js';
import { indicatorDetails } from './names.js';
import type { CertInfo, SslAgg } from '../state.js';

const SELF_SIGNED = /self[- ]signed certificate/i;
const EXPIRED = /certificate has expired/i;
const NOT_YET = /certificate is not yet valid/i;

function isoDate(seconds: number | undefined): string {
  return seconds === undefined || !Number.isFinite(seconds) ? '—' : new Date(seconds * 1000).toISOString().slice(0, 10);
}

function isTls13(s: SslAgg): string | undefined {
  return s.versions.find((v) => /^tlsv?1\.?3$/i.test(v.replace(/\s/g, '')));
}

export function checkTls(ctx: CheckContext): void {
  const { opts, sink, state } = ctx;
  for (const s of state.allSessions()) {
    if (ctx.ipWhitelisted(s.ip)) continue;
    if (s.sni !== undefined ? ctx.nameWhitelisted(s.sni) : ctx.destinationWhitelisted(s.ip)) continue;
    const host = s.sni ?? ctx.display(s.ip);
    const o = occ(s);
    const chain: CertInfo[] = s.certIds.map((id) => state.certs.get(id)).filter((c): c is CertInfo => c !== undefined);
    const leaf = chain[0];
    const issuer = s.issuer ?? leaf?.issuer;
    const subject = s.subject ?? leaf?.subject;
    const dest = { ip: s.ip, port: s.port, sni: s.sni };
    const flag = (rule: Parameters<CheckContext['flagIp']>[1]) => ctx.flagIp(s.ip, rule);
    const sessionSeconds = s.first / 1000;
    if (opts.heuristics) {
      if (!opts.sslDefaultPorts.has(s.port)) {
        sink.add('SSL-01', `${s.ip}|${s.port}`, { host, port: s.port }, o, { subject: host, details: { destination: dest } });
        flag('SSL-01');
      }
      if (issuer !== undefined) {
        const org = dnField(issuer, 'O');
        if (opts.freeIssuers.has(normalizeDn(issuer)) || (org !== undefined && opts.freeIssuerOrganisations.includes(org.toLowerCase()))) {
          sink.add('SSL-02', host, { host, issuer: dnField(issuer, 'CN') ?? org ?? issuer }, o, { subject: host, details: { destination: dest, issuer } });
          flag('SSL-02');
        }
      }
      const selfSigned =
        s.statuses.some((v) => SELF_SIGNED.test(v)) ||
        leaf?.selfSigned === true ||
        (subject !== undefined && issuer !== undefined && normalizeDn(subject) === normalizeDn(issuer));
      if (selfSigned) {
        sink.add('SSL-03', host, { host }, o, { subject: host, details: { destination: dest, issuer, validation: s.statuses } });
        flag('SSL-03');
      }
      const expired = (leaf?.notAfter !== undefined && leaf.notAfter < sessionSeconds) || s.statuses.some((v) => EXPIRED.test(v));
      if (expired) {
        sink.add('SSL-05', host, { host, date: isoDate(leaf?.notAfter) }, o, { subject: host, details: { destination: dest, notAfter: leaf?.notAfter } });
        flag('SSL-05');
      }
      const notYet = (leaf?.notBefore !== undefined && leaf.notBefore > sessionSeconds) || s.statuses.some((v) => NOT_YET.test(v));
      if (notYet) {
        sink.add('SSL-06', host, { host, date: isoDate(leaf?.notBefore) }, o, { subject: host, details: { destination: dest, notBefore: leaf?.notBefore } });
        flag('SSL-06');
      }
      const v13 = isTls13(s);
      if (v13 !== undefined && leaf === undefined && subject === undefined && s.certSha1s.length === 0) {
        sink.add('SSL-07', host, { host, version: 'TLS 1.3' }, o, { subject: host, details: { destination: dest } });
      }
    }
    if (opts.iocChecks) {
      if (s.sni !== undefined && !ctx.checkedNames.has(s.sni)) {
        const d = ctx.iocs.matchDomain(s.sni);
        if (d) {
          const nonTracker = d.items.find((i) => i.tag !== 'tracker');
          const ind = nonTracker ?? d.items[0]!;
          if (nonTracker) sink.add('SSL-04', s.sni, { domain: s.sni, ioc: d.suffix, tag: ind.tag }, o, { subject: s.sni, details: { via: 'tls', destination: dest, ...indicatorDetails(ind) } });
          else sink.add('IOC-04', s.sni, { domain: s.sni, ioc: d.suffix }, o, { subject: s.sni, details: { via: 'tls', destination: dest, ...indicatorDetails(ind) } });
          flag(nonTracker ? 'SSL-04' : 'IOC-04');
        }
      }
      const sha1s = new Set([...s.certSha1s, ...chain.map((c) => c.sha1).filter((x): x is string => x !== undefined)]);
      for (const sha1 of sha1s) {
        const hit = ctx.iocs.matchHash('sha1cert', sha1);
        if (!hit) continue;
        sink.add('IOC-07', sha1, { host, sha1, tag: hit[0]!.tag }, o, { subject: host, details: { destination: dest, ...indicatorDetails(hit[0]!) } });
        flag('IOC-07');
      }
      for (const ja3 of s.ja3) {
        const hit = ctx.iocs.matchHash('ja3', ja3);
        if (!hit) continue;
        sink.add('IOC-11', `${ja3}|${host}`, { host, ja3, tag: hit[0]!.tag }, o, { subject: host, details: { destination: dest, ...indicatorDetails(hit[0]!) } });
        flag('IOC-11');
      }
    }
  }
}
