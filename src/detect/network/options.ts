/**
 * Settings of the network checks. TinyCheck's `config.yaml` analysis keys keep their meaning
 * (heuristics, iocs, whitelist, active, max_ports, http_default_port, ssl_default_ports,
 * free_issuers, max_alerts); the checks beyond TinyCheck take RITA's defaults where RITA has one.
 */
import type { IocIndex, Whitelist } from '../ioc/ioc-index.js';

export interface ActiveLookups {
  /** Name servers of a domain (ACT-01); resolves host names, rejects on failure or timeout. */
  nameservers(domain: string): Promise<string[]>;
  /** Registration date of a domain (ACT-02), epoch ms; undefined when the registry does not say. */
  registered(domain: string): Promise<number | undefined>;
}

export interface NetworkOptions {
  iocs?: IocIndex;
  whitelist?: Whitelist;
  /** Language of alert titles and descriptions (`en`, `fr`, ... or TinyCheck's `cat`, `cn`). */
  lang?: string;
  /** PROTO-01..05, SSL-01..03 and the checks beyond TinyCheck (TinyCheck: `heuristics`). */
  heuristics?: boolean;
  /** IOC-01..13, SSL-04 (TinyCheck: `iocs`). */
  iocChecks?: boolean;
  /** Honour the whitelist (TinyCheck: `whitelist`). */
  useWhitelist?: boolean;
  maxPorts?: number;
  httpDefaultPort?: number;
  sslDefaultPorts?: number[];
  /** Issuer distinguished names counted as free certificate authorities (exact match). */
  freeIssuers?: string[];
  /** Issuer organisations counted as free authorities (`O=` value, case-insensitive). */
  freeIssuerOrganisations?: string[];
  maxAlerts?: number;
  beacons?: boolean;
  /** Longest series kept per source→destination pair (RITA keeps 86,400). */
  beaconMaxSeries?: number;
  /** Seconds: a connection at least this long is reported (RITA: 1 h; 4 h low, 8 h medium, 12 h high). */
  longConnectionSeconds?: number;
  dnsTunnel?: boolean;
  dga?: boolean;
  /** Active checks (ACT-01/02): off unless asked for. */
  active?: {
    enabled: boolean;
    lookups?: ActiveLookups;
    /** Per lookup (default 3 s). */
    timeoutMs?: number;
    /** All lookups of a run together (default 60 s); what is left undone is counted, not awaited. */
    budgetMs?: number;
    /** Domains looked up at most (default 200). */
    maxDomains?: number;
    /** Days under which a registration is recent (default 365). */
    recentDays?: number;
    /** A JSON file keeping answers between runs. */
    cachePath?: string;
  };
  /** Event references kept per alert (default 10). */
  maxEventRefs?: number;
  /** Reference time for "now" in ACT-02 (tests). */
  now?: number;
}

export const DEFAULTS = {
  maxPorts: 1024,
  httpDefaultPort: 80,
  sslDefaultPorts: [443, 465, 636, 989, 990, 993, 995, 5223],
  freeIssuers: [
    "C=US, O=Let's Encrypt, CN=Let's Encrypt Authority X3",
    "CN=R3,O=Let's Encrypt,C=US",
    'CN=ZeroSSL RSA Domain Secure Site CA,O=ZeroSSL,C=AT',
  ],
  freeIssuerOrganisations: ["Let's Encrypt", 'ZeroSSL', 'Buypass AS-983163327'],
  maxAlerts: 3,
  beaconMaxSeries: 86400,
  longConnectionSeconds: 3600,
  maxEventRefs: 10,
} as const;
