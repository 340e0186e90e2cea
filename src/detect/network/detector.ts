/**
 * The network detector: collects aggregates from conn, dns, http, ssl, x509, files and IDS
 * events, then at `finish` runs every check once over the whole picture (PROTO-05 needs every
 * DNS answer before judging a connection; beacons need whole series). It also keeps what a
 * report needs: the destinations sorted into suspect, uncategorised and whitelisted.
 */
import type { Alert, DetectContext, Detector } from '../types.js';
import type { Event } from '../../normalize/event.js';
import { AlertSink } from './alerts.js';
import { DEFAULTS, type NetworkOptions } from './options.js';
import { DEFAULT_LIMITS, NetworkState } from './state.js';
import { CheckContext, resolveOptions } from './checks/context.js';
import { checkDestinations, type DestinationStatus } from './checks/destinations.js';
import { checkHttpHosts, checkQueriedNames, checkUrls } from './checks/names.js';
import { checkTls } from './checks/tls.js';
import { checkFiles } from './checks/files.js';
import { checkIds } from './checks/ids.js';
import { checkDnsTunnels } from './checks/dns-tunnel.js';
import { checkDga } from './checks/dga.js';
import { checkLongConnections } from './checks/long-conn.js';
import { checkBeacons } from './checks/beacons.js';
import { checkAdvanced } from './checks/adv.js';
import { checkActive, type ActiveReport } from './checks/active.js';
import type { AlertKey } from '../../report/i18n/index.js';

export interface DestinationRow {
  status: DestinationStatus;
  ip: string;
  proto: string;
  port: number;
  service?: string;
  names: string[];
  connections: number;
  first: number;
  last: number;
  bytesOut: number;
  bytesIn: number;
  rules: AlertKey[];
}

export interface NetworkFindings {
  alerts: Alert[];
  destinations: DestinationRow[];
  records: Record<string, number>;
  skipped: Record<string, number>;
  /** Epoch ms of the first and last record. */
  first?: number;
  last?: number;
  localHosts: string[];
  active?: ActiveReport;
  namesOverflow: number;
}

export class NetworkDetector implements Detector {
  readonly name = 'network';
  private readonly state: NetworkState;
  private findingsCache?: NetworkFindings;

  constructor(private readonly options: NetworkOptions = {}) {
    this.state = new NetworkState({
      ...DEFAULT_LIMITS,
      maxRefs: options.maxEventRefs ?? DEFAULTS.maxEventRefs,
      beacons: options.beacons !== false && options.heuristics !== false,
      beaconMaxSeries: options.beaconMaxSeries ?? DEFAULTS.beaconMaxSeries,
      longConnectionSeconds: options.longConnectionSeconds ?? DEFAULTS.longConnectionSeconds,
      urlWatch: options.iocChecks !== false && (options.iocs?.hasUrls ?? false),
    });
  }

  onEvent(event: Event, ctx: DetectContext): void {
    this.state.add(event, ctx.eventId);
  }

  async finish(emit: (alert: Alert) => void): Promise<void> {
    const findings = await this.analyse();
    for (const a of findings.alerts) emit(a);
  }

  /** Runs the checks once (later calls return the same findings). */
  async analyse(): Promise<NetworkFindings> {
    if (this.findingsCache) return this.findingsCache;
    const opts = resolveOptions(this.options);
    const sink = new AlertSink(opts.lang, opts.maxEventRefs);
    const ctx = new CheckContext(this.state, sink, opts, this.options.iocs, this.options.whitelist);
    checkDestinations(ctx);
    checkQueriedNames(ctx);
    checkHttpHosts(ctx);
    checkUrls(ctx);
    checkTls(ctx);
    checkFiles(ctx);
    checkIds(ctx);
    checkDnsTunnels(ctx);
    checkDga(ctx);
    checkLongConnections(ctx);
    checkBeacons(ctx);
    const active = await checkActive(ctx, this.options.active);
    checkAdvanced(ctx);

    const destinations: DestinationRow[] = [];
    for (const d of this.state.allDestinations()) {
      const rules = ctx.flags.get(d.ip);
      const status: DestinationStatus = ctx.whitelistedIps.has(d.ip) ? 'whitelisted' : rules && rules.size > 0 ? 'suspect' : 'uncategorised';
      destinations.push({
        status,
        ip: d.ip,
        proto: d.proto,
        port: d.port,
        service: d.service || undefined,
        names: ctx.namesOf(d.ip).slice(0, 8),
        connections: d.count,
        first: d.first,
        last: d.last,
        bytesOut: d.bytesOut,
        bytesIn: d.bytesIn,
        rules: rules ? [...rules].sort() : [],
      });
    }
    destinations.sort((a, b) => b.connections - a.connections || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port));
    this.findingsCache = {
      alerts: sink.alerts(),
      destinations,
      records: { ...this.state.records },
      skipped: { ...this.state.skipped },
      first: Number.isFinite(this.state.firstMs) ? this.state.firstMs : undefined,
      last: Number.isFinite(this.state.lastMs) ? this.state.lastMs : undefined,
      localHosts: this.state.hosts(),
      active,
      namesOverflow: this.state.namesOverflow,
    };
    return this.findingsCache;
  }
}
