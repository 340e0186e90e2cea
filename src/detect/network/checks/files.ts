/**
 * Transferred files: certificate SHA-1s (files.log rows of X.509 MIME types, where Zeek before
 * 4.1 logged certificates) against `sha1cert` indicators (IOC-07), naming the server that sent
 * the certificate rather than the device (TinyCheck named the device); file hashes against
 * md5/sha1/sha256 indicators (IOC-12).
 */
import { occ, type CheckContext } from './context.js';
import { indicatorDetails } from './names.js';

export function checkFiles(ctx: CheckContext): void {
  if (!ctx.opts.iocChecks) return;
  for (const f of ctx.state.files.values()) {
    if (f.peer !== undefined && ctx.destinationWhitelisted(f.peer)) continue;
    const host = f.peer !== undefined ? ctx.display(f.peer) : '?';
    const o = occ(f);
    if (f.isCertificate && f.kind === 'sha1') {
      const hit = ctx.iocs.matchHash('sha1cert', f.hash);
      if (hit) {
        ctx.sink.add('IOC-07', f.hash, { host, sha1: f.hash, tag: hit[0]!.tag }, o, { subject: host, details: { peer: f.peer, ...indicatorDetails(hit[0]!) } });
        if (f.peer) ctx.flagIp(f.peer, 'IOC-07');
      }
      continue;
    }
    const hit = ctx.iocs.matchHash(f.kind, f.hash);
    if (hit) {
      ctx.sink.add('IOC-12', `${f.kind}:${f.hash}`, { hash: f.hash, host, tag: hit[0]!.tag }, o, { subject: host, details: { peer: f.peer, mime: f.mime, ...indicatorDetails(hit[0]!) } });
      if (f.peer) ctx.flagIp(f.peer, 'IOC-12');
    }
  }
}
