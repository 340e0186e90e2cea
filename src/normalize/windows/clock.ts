/**
 * Shippers get time zones wrong. NXLog writes `EventTime` in local time without a zone, and some
 * configurations write local time into `TimeCreated` *with* a `Z` (seen in Security-Datasets
 * recordings: 4 h and 16 h off); Winlogbeat 6's `@timestamp` can be the time of a later replay.
 * Sysmon's own `UtcTime` is UTC, so where a host's Sysmon records carry both, the difference is
 * that host's shipper offset, and the host's other records are corrected by it.
 *
 * An offset is accepted only when it looks like a clock setting: the first few Sysmon records of
 * the host agree on it, and each lies within two minutes of a whole quarter hour. A replay, whose
 * delays vary from record to record, teaches nothing and corrects nothing.
 */
const QUARTER_HOUR = 15 * 60 * 1000;
const SLACK = 2 * 60 * 1000;
const SAMPLES = 3;

interface HostClock {
  seen: number[];
  offset?: number;
}

export class ShipperClock {
  private readonly hosts = new Map<string, HostClock>();

  /** A record whose shipper time and true UTC time are both known. */
  learn(host: string, shipperTime: number | undefined, utc: number): void {
    if (shipperTime === undefined || !Number.isFinite(shipperTime)) return;
    const h = host.toLowerCase();
    let c = this.hosts.get(h);
    if (!c) this.hosts.set(h, (c = { seen: [] }));
    if (c.offset !== undefined) return;
    const delta = shipperTime - utc;
    const rounded = Math.round(delta / QUARTER_HOUR) * QUARTER_HOUR;
    if (Math.abs(delta - rounded) > SLACK) {
      c.offset = 0;
      return;
    }
    c.seen.push(rounded);
    if (c.seen.length >= SAMPLES) c.offset = c.seen.every((o) => o === c!.seen[0]) ? c.seen[0] : 0;
  }

  correct(host: string, shipperTime: number): number {
    const c = this.hosts.get(host.toLowerCase());
    // Until enough records agree, use what the samples so far say if they agree.
    const offset = c?.offset ?? (c && c.seen.length && c.seen.every((o) => o === c.seen[0]) ? c.seen[0] : 0);
    return shipperTime - offset;
  }

  /** Hosts whose shipper time was off, for the run's summary. */
  corrections(): string[] {
    return [...this.hosts]
      .filter(([, c]) => c.offset)
      .map(([h, c]) => `${h}: shipper time ${c.offset! > 0 ? '+' : '-'}${Math.abs(c.offset!) / 3600000} h from UTC, corrected from Sysmon UtcTime`);
  }
}
