/**
 * English: the reference catalog. Every other language has the same keys and, in each text,
 * the same named placeholders (`{host}`); a missing key falls back to this one.
 */
export const en = {
  alerts: {
    'PROTO-01': {
      title: '{proto} traffic leaving the local network to {host}',
      description: 'The device sent {proto} traffic to {host}, outside the local network. Ordinary apps rarely need it; it can hide a tunnel or data leaving the device.',
    },
    'PROTO-02': {
      title: '{proto} connection to {host} on a high port',
      description: 'The device talked to {host} over {proto} on port {port}, at or above {max_ports}. Common services use lower ports; some malware uses high ones.',
    },
    'PROTO-03': {
      title: 'Unencrypted HTTP traffic to {host}',
      description: 'Data exchanged with {host} went over HTTP without encryption: anyone on the path can read or change it.',
    },
    'PROTO-04': {
      title: 'HTTP traffic to {host} on a non-standard port',
      description: 'The device sent HTTP to {host} on port {port} instead of the usual port. Malware often does this to avoid simple filters.',
    },
    'PROTO-05': {
      title: '{ip} contacted without a DNS lookup',
      description: 'The device reached {ip} ({proto}/{port}) without resolving any name to this address in the capture. Malware often uses hard-coded addresses; encrypted DNS or a cached answer can also explain it.',
    },
    'IOC-01': {
      title: 'Connection to {ip}, a known {tag} address',
      description: 'The address {ip} is in the indicator list with the tag {tag}. Talking to it is a strong sign that the device is compromised.',
    },
    'IOC-02': {
      title: 'Connection to {ip} in the suspect range {cidr}',
      description: 'The address {ip} lies in the range {cidr}, listed as {tag}. Such ranges host suspicious servers, though not every address in them is malicious.',
    },
    'IOC-03': {
      title: 'Communication with {domain}, a known {tag} domain',
      description: 'The name {domain} matches the indicator {ioc} (tag {tag}). The device looked it up or talked to it: a strong sign of compromise.',
    },
    'IOC-04': {
      title: 'Communication with the tracker {domain}',
      description: 'The name {domain} matches the tracker indicator {ioc}. Trackers collect data about the device and its user, sometimes its location.',
    },
    'IOC-05': {
      title: 'Communication with the dynamic DNS name {domain}',
      description: 'The name {domain} belongs to the free or dynamic DNS service {ioc}. Such services are cheap and anonymous, and attackers like them.',
    },
    'IOC-06': {
      title: 'Communication with {domain} under the suspect domain {tld}',
      description: 'The name {domain} ends in {tld}, a top-level domain often used for malicious sites because it is cheap or loosely controlled.',
    },
    'IOC-07': {
      title: 'Certificate from {host} is a known {tag} certificate',
      description: 'The server {host} presented the certificate with SHA-1 {sha1}, listed as {tag}.',
    },
    'IOC-08': {
      title: 'HTTP request to {domain}, a known {tag} domain',
      description: 'An HTTP request named the host {domain}, which matches the indicator {ioc} (tag {tag}).',
    },
    'IOC-09': {
      title: 'HTTP request to the dynamic DNS name {domain}',
      description: 'An HTTP request named the host {domain}, under the free or dynamic DNS service {ioc}.',
    },
    'IOC-10': {
      title: 'HTTP request to {domain} under the suspect domain {tld}',
      description: 'An HTTP request named the host {domain}, whose top-level domain {tld} is often used for malicious sites.',
    },
    'IOC-11': {
      title: 'Known {tag} TLS client fingerprint towards {host}',
      description: 'A TLS client on the device had the JA3 fingerprint {ja3}, listed as {tag}, when connecting to {host}.',
    },
    'IOC-12': {
      title: 'Known {tag} file transferred with {host}',
      description: 'A file with the hash {hash}, listed as {tag}, was transferred between the device and {host}.',
    },
    'IOC-13': {
      title: 'Request to a known {tag} URL',
      description: 'The device requested {url}, which is in the indicator list with the tag {tag}.',
    },
    'SSL-01': {
      title: 'TLS to {host} on a non-standard port',
      description: 'The device opened an encrypted TLS session to {host} on port {port}, which is not a usual port for TLS.',
    },
    'SSL-02': {
      title: '{host} uses a free certificate',
      description: 'The certificate of {host} was issued by {issuer}, a free authority. Legitimate sites use them too, but so do many malicious servers.',
    },
    'SSL-03': {
      title: '{host} presents a self-signed certificate',
      description: 'The certificate of {host} is signed by itself, not by a recognised authority. Nobody vouches for the identity of that server.',
    },
    'SSL-04': {
      title: 'TLS session to {domain}, a known {tag} domain',
      description: 'A TLS session asked for the server name {domain}, which matches the indicator {ioc} (tag {tag}).',
    },
    'SSL-05': {
      title: 'Expired certificate from {host}',
      description: 'The certificate of {host} expired on {date}, before it was used. Well-run servers renew theirs.',
    },
    'SSL-06': {
      title: 'Certificate from {host} not yet valid',
      description: 'The certificate of {host} is valid only from {date}, after it was used: a wrong clock or a forged certificate.',
    },
    'SSL-07': {
      title: 'Certificate of {host} not visible',
      description: 'The session with {host} used {version}, which encrypts the certificate: its checks (authority, expiry, fingerprint) could not be made.',
    },
    'ACT-01': {
      title: '{domain} uses a suspect name server',
      description: 'The domain {domain} is served by the name server {ns}, from a provider often used by attackers.',
    },
    'ACT-02': {
      title: '{domain} was registered recently',
      description: 'The domain {domain} was registered {days} days ago. Malicious domains are often very young.',
    },
    'ADV-01': {
      title: '{count} different alerts about {host}',
      description: 'The destination {host} raised {count} different alerts. Several weak signs on one server add up to a strong one.',
    },
    'SNORT-01': {
      title: 'Network rule matched: {signature}',
      description: 'The intrusion detection rule "{signature}" matched traffic with {host}.',
    },
    'DNS-01': {
      title: 'Possible DNS tunnel under {domain}',
      description: '{count} queries under {domain} carried long or random-looking labels (for example {example}): data can be smuggled out that way.',
    },
    'DNS-02': {
      title: '{count} different subdomains of {domain} queried',
      description: 'The device asked for {count} different names under {domain}. That many is typical of DNS tunnels and command channels.',
    },
    'DNS-03': {
      title: '{count} TXT queries for {domain}',
      description: 'The device made {count} TXT queries under {domain}. TXT answers can carry commands or data.',
    },
    'DGA-01': {
      title: '{domain} looks algorithmically generated',
      description: 'The name {domain} looks random rather than chosen by a person: malware generates such names to find its servers.',
    },
    'DGA-02': {
      title: '{src} asked for {count} generated-looking names that do not exist',
      description: 'The host {src} queried {count} random-looking names that do not exist (for example {example}): the pattern of malware searching for its server.',
    },
    'CONN-01': {
      title: 'Long connection from {src} to {dst}',
      description: 'A connection from {src} to {dst} on port {port} lasted {duration}. Command channels and tunnels often stay open for hours.',
    },
    'BEACON-01': {
      title: 'Beaconing from {src} to {dst} (score {score})',
      description: '{src} connected to {dst} {count} times at regular intervals with regular sizes (score {score} out of 1): the rhythm of malware calling home.',
    },
  },
  report: {
    title: 'Network analysis report',
    generated_on: 'Report generated on {date}',
    capture_facts: 'What was analysed',
    evidence_files: 'Evidence files',
    records_read: 'Records read',
    first_record: 'First record',
    last_record: 'Last record',
    capture_duration: 'Time span',
    hosts_seen: 'Local devices seen',
    indicators_loaded: 'Indicators loaded: {iocs}; whitelist entries: {whitelist}',
    verdict_high: '{count} high-level alert(s): the device is probably compromised.',
    verdict_medium: '{count} medium-level alert(s): suspicious behaviour worth a closer look.',
    verdict_low: '{count} low-level alert(s): nothing serious, a few points to know.',
    verdict_none: 'No alert: nothing suspicious was found in this capture.',
    alerts_title: 'Alerts',
    no_alerts: 'No alerts.',
    alert_count: '{count} occurrence(s)',
    suspect_title: 'Suspect communications',
    uncat_title: 'Uncategorised communications',
    whitelist_title: 'Whitelisted communications',
    col_protocol: 'Protocol',
    col_domain: 'Domain',
    col_dst_ip: 'Destination IP',
    col_dst_port: 'Port',
    col_connections: 'Connections',
    col_alerts: 'Alerts',
    details: 'Details',
    more_rows: '{count} more row(s) not shown',
    footer: 'Produced by Loupe. Indicators and whitelist decide much of the verdict: a quiet report is not a proof of innocence.',
    language: 'Language',
    none: 'none',
  },
  levels: {
    critical: 'Critical',
    high: 'High',
    medium: 'Medium',
    low: 'Low',
    informational: 'Information',
  },
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** The shape every language fills. */
export type Catalog = Widen<typeof en>;
export type AlertKey = keyof typeof en.alerts;
export type ReportKey = keyof typeof en.report;
