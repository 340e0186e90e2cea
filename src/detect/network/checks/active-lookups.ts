/**
 * The real lookups behind ACT-01/02: name servers through the system's resolver configuration
 * (node:dns, one try, a timeout), WHOIS over TCP port 43 (IANA's referral, then the registry),
 * answers bounded to 64 KiB. Domain names are validated before they are sent anywhere.
 */
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';

const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
const MAX_ANSWER = 64 * 1024;

function whois(server: string, query: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const sock = connect({ host: server, port: 43 });
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`WHOIS ${server} timed out`)));
    sock.on('connect', () => sock.write(`${query}\r\n`));
    sock.on('data', (b: Buffer) => {
      size += b.length;
      if (size <= MAX_ANSWER) chunks.push(b);
      else sock.destroy();
    });
    sock.on('error', reject);
    sock.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const CREATED = /^\s*(?:creation date|created(?: on)?|registered(?: on)?|registration (?:time|date)|domain registration date|created date)\s*:\s*(.+)$/im;

export function parseWhoisCreated(text: string): number | undefined {
  const m = CREATED.exec(text);
  if (!m) return undefined;
  const t = Date.parse(m[1]!.trim().replace(/\s+\(.*\)$/, ''));
  return Number.isNaN(t) ? undefined : t;
}

export function defaultLookups(timeoutMs: number) {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  return {
    async nameservers(domain: string): Promise<string[]> {
      if (!DOMAIN.test(domain)) return [];
      return resolver.resolveNs(domain);
    },
    async registered(domain: string): Promise<number | undefined> {
      if (!DOMAIN.test(domain)) return undefined;
      const iana = await whois('whois.iana.org', domain, timeoutMs);
      const refer = /^\s*(?:refer|whois)\s*:\s*(\S+)/im.exec(iana)?.[1];
      if (!refer || !/^[a-z0-9.-]+$/i.test(refer)) return parseWhoisCreated(iana);
      return parseWhoisCreated(await whois(refer, domain, timeoutMs));
    },
  };
}
