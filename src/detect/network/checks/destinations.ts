/**
 * The checks TinyCheck ran per distinct destination (address, protocol, port, service):
 * PROTO-01..05 and IOC-01..06, with its bugs fixed: protocols compared in one case, a service
 * list (`http,ssl`) read as a list, every DNS name of the address checked, CIDRs of both families.
 */
import { isLocalAddress } from '../../ioc/ip.js';
import { checkName, indicatorDetails } from './names.js';
import { occ, type CheckContext } from './context.js';
import type { DestAgg } from '../state.js';

export type DestinationStatus = 'whitelisted' | 'suspect' | 'uncategorised';

function hasService(d: DestAgg, name: string): boolean {
  return d.service.split(',').some((s) => s.trim() === name);
}

export function checkDestinations(ctx: CheckContext): void {
  const { opts, sink } = ctx;
  for (const d of ctx.state.allDestinations()) {
    if (ctx.destinationWhitelisted(d.ip)) {
      ctx.whitelistedIps.add(d.ip);
      continue;
    }
    const names = ctx.namesOf(d.ip);
    const host = names[0] ?? d.ip;
    const o = occ(d);
    const dest = { ip: d.ip, proto: d.proto, port: d.port, service: d.service || undefined, names: names.slice(0, 8) };
    const flag = (rule: Parameters<CheckContext['flagIp']>[1]) => ctx.flagIp(d.ip, rule);
    if (opts.heuristics) {
      const isUdpOrIcmp = d.proto === 'udp' || d.proto === 'icmp';
      if (isUdpOrIcmp && !isLocalAddress(d.ip)) {
        sink.add('PROTO-01', `${d.proto}|${d.ip}`, { proto: d.proto.toUpperCase(), host }, o, { subject: host, details: { destination: dest } });
        flag('PROTO-01');
      }
      if ((d.proto === 'tcp' || d.proto === 'udp') && d.port >= opts.maxPorts) {
        sink.add('PROTO-02', `${d.proto}|${d.ip}|${d.port}`, { proto: d.proto.toUpperCase(), host, port: d.port, max_ports: opts.maxPorts }, o, { subject: host, details: { destination: dest } });
        flag('PROTO-02');
      }
      if (hasService(d, 'http')) {
        if (d.port === opts.httpDefaultPort) {
          sink.add('PROTO-03', d.ip, { host }, o, { subject: host, details: { destination: dest } });
          flag('PROTO-03');
        } else {
          sink.add('PROTO-04', `${d.ip}|${d.port}`, { host, port: d.port }, o, { subject: host, details: { destination: dest } });
          flag('PROTO-04');
        }
      }
      if (names.length === 0) {
        sink.add('PROTO-05', `${d.ip}|${d.proto}|${d.port}`, { ip: d.ip, proto: d.proto.toUpperCase(), port: d.port }, o, { subject: d.ip, details: { destination: dest } });
        flag('PROTO-05');
      }
    }
    if (opts.iocChecks) {
      const exact = ctx.iocs.matchIp(d.ip);
      if (exact) {
        sink.add('IOC-01', d.ip, { ip: d.ip, tag: exact[0]!.tag }, o, { subject: host, details: { destination: dest, ...indicatorDetails(exact[0]!) } });
        flag('IOC-01');
      }
      const ranges = ctx.iocs.matchCidr(d.ip);
      if (ranges && ranges.length > 0) {
        const best = ranges[0]!;
        sink.add('IOC-02', d.ip, { ip: d.ip, cidr: best.cidr, tag: best.items[0]!.tag }, o, {
          subject: host,
          details: { destination: dest, ...indicatorDetails(best.items[0]!), ranges: ranges.map((r) => r.cidr) },
        });
        flag('IOC-02');
      }
    }
    for (const name of names) checkName(ctx, name, o, 'connection');
  }
}
