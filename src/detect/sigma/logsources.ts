/**
 * Where a rule's `logsource` (product / category / service) finds its events. Modeled on the
 * THOR/SPARK mapping SigmaHQ ships (`thor.yml`) and pySigma's Windows pipeline: a Windows service
 * is a set of event-log channels; a category is one or more (channel, event ids, extra conditions,
 * field renames) variants, e.g. `process_creation` is Sysmon 1 and also Security 4688 with
 * `Image` read from `NewProcessName`. Zeek logs are keyed by the log name and a few generic
 * categories (dns, proxy, firewall) are read from Zeek's dns, http and conn logs.
 *
 * Events carry a source key (`win:<channel lower-cased>`, `zeek:<log>`); rules are indexed by
 * the keys of their variants. A logsource with no mapping gets an `ls:` key no event produces
 * today: the rule loads, lints and lists, and simply has nothing to match yet.
 */

export interface LogSource {
  product?: string;
  category?: string;
  service?: string;
}

export interface SourceVariant {
  /** The event source key this variant reads. */
  key: string;
  /** Event ids the logsource implies (Sysmon 1 for process_creation); absent = any. */
  eventIds?: number[];
  /** Extra equality conditions on event fields (registry_add: EventType = CreateKey). */
  conditions?: Record<string, string>;
  /** Rule field name → event field name, for sources that name a field differently. */
  fieldMap?: Record<string, string>;
  /** Short human name for lint/list output. */
  label: string;
}

export const SYSMON_CHANNEL = 'microsoft-windows-sysmon/operational';
const SECURITY_CHANNEL = 'security';

/** Windows service → channels (lower-case), from thor.yml's `sources` and pySigma's Windows pipeline. */
export const WINDOWS_SERVICE_CHANNELS: Record<string, string[]> = {
  application: ['application'],
  security: ['security'],
  system: ['system'],
  sysmon: [SYSMON_CHANNEL],
  powershell: ['microsoft-windows-powershell/operational', 'powershellcore/operational'],
  'powershell-classic': ['windows powershell'],
  ntlm: ['microsoft-windows-ntlm/operational'],
  taskscheduler: ['microsoft-windows-taskscheduler/operational'],
  wmi: ['microsoft-windows-wmi-activity/operational'],
  dhcp: ['microsoft-windows-dhcp-server/operational'],
  'printservice-admin': ['microsoft-windows-printservice/admin'],
  'printservice-operational': ['microsoft-windows-printservice/operational'],
  'smbclient-security': ['microsoft-windows-smbclient/security'],
  'smbclient-connectivity': ['microsoft-windows-smbclient/connectivity'],
  'smbserver-connectivity': ['microsoft-windows-smbserver/connectivity'],
  'terminalservices-localsessionmanager': ['microsoft-windows-terminalservices-localsessionmanager/operational'],
  'codeintegrity-operational': ['microsoft-windows-codeintegrity/operational'],
  applocker: [
    'microsoft-windows-applocker/msi and script',
    'microsoft-windows-applocker/exe and dll',
    'microsoft-windows-applocker/packaged app-deployment',
    'microsoft-windows-applocker/packaged app-execution',
  ],
  'msexchange-management': ['msexchange management'],
  windefend: ['microsoft-windows-windows defender/operational'],
  'firewall-as': ['microsoft-windows-windows firewall with advanced security/firewall'],
  'bits-client': ['microsoft-windows-bits-client/operational'],
  'security-mitigations': [
    'microsoft-windows-security-mitigations/kernel mode',
    'microsoft-windows-security-mitigations/user mode',
  ],
  'diagnosis-scripted': ['microsoft-windows-diagnosis-scripted/operational'],
  'shell-core': ['microsoft-windows-shell-core/operational'],
  openssh: ['openssh/operational'],
  ldap: ['microsoft-windows-ldap-client/debug'],
  ldap_debug: ['microsoft-windows-ldap-client/debug'],
  bitlocker: ['microsoft-windows-bitlocker/bitlocker management'],
  vhdmp: ['microsoft-windows-vhdmp/operational'],
  'appxdeployment-server': ['microsoft-windows-appxdeploymentserver/operational'],
  'lsa-server': ['microsoft-windows-lsa/operational'],
  'appxpackaging-om': ['microsoft-windows-appxpackaging/operational'],
  'dns-client': ['microsoft-windows-dns client events/operational', 'microsoft-windows-dns-client/operational'],
  'appmodel-runtime': ['microsoft-windows-appmodel-runtime/admin'],
  capi2: ['microsoft-windows-capi2/operational'],
  'certificateservicesclient-lifecycle-system': ['microsoft-windows-certificateservicesclient-lifecycle-system/operational'],
  'kernel-shimengine': ['microsoft-windows-kernel-shimengine/operational', 'microsoft-windows-kernel-shimengine/diagnostic'],
  'application-experience': [
    'microsoft-windows-application-experience/program-telemetry',
    'microsoft-windows-application-experience/program-compatibility-assistant',
  ],
  ntfs: ['microsoft-windows-ntfs/operational'],
  'hyper-v-worker': ['microsoft-windows-hyper-v-worker'],
  'kernel-event-tracing': ['microsoft-windows-kernel-eventtracing'],
  sense: ['microsoft-windows-sense/operational'],
  'servicebus-client': ['microsoft-servicebus-client/admin', 'microsoft-servicebus-client/operational'],
  'microsoft-servicebus-client': ['microsoft-servicebus-client/admin', 'microsoft-servicebus-client/operational'],
  'iis-configuration': ['microsoft-iis-configuration/operational'],
  'dns-server': ['dns server'],
  'dns-server-analytic': ['microsoft-windows-dns-server/analytical'],
  'driver-framework': ['microsoft-windows-driverframeworks-usermode/operational'],
};

interface CategoryVariant {
  service: string;
  eventIds?: number[];
  conditions?: Record<string, string>;
  fieldMap?: Record<string, string>;
}

const sysmon = (...eventIds: number[]): CategoryVariant => ({ service: 'sysmon', eventIds });

/** Windows category → variants (thor.yml's `logsources` with `conditions`, `rewrite`, `fieldmappings`). */
export const WINDOWS_CATEGORIES: Record<string, CategoryVariant[]> = {
  process_creation: [
    sysmon(1),
    { service: 'security', eventIds: [4688], fieldMap: { Image: 'NewProcessName', ParentImage: 'ParentProcessName' } },
  ],
  file_change: [sysmon(2)],
  network_connection: [sysmon(3)],
  sysmon_status: [sysmon(4, 16)],
  process_termination: [sysmon(5)],
  driver_load: [sysmon(6)],
  image_load: [sysmon(7)],
  create_remote_thread: [sysmon(8)],
  raw_access_thread: [sysmon(9)],
  raw_access_read: [sysmon(9)],
  process_access: [sysmon(10)],
  file_event: [sysmon(11)],
  registry_event: [sysmon(12, 13, 14)],
  registry_add: [{ service: 'sysmon', eventIds: [12], conditions: { EventType: 'CreateKey' } }],
  registry_delete: [
    { service: 'sysmon', eventIds: [12], conditions: { EventType: 'DeleteKey' } },
    { service: 'sysmon', eventIds: [12], conditions: { EventType: 'DeleteValue' } },
  ],
  registry_set: [sysmon(13)],
  registry_rename: [sysmon(14)],
  create_stream_hash: [sysmon(15)],
  pipe_created: [sysmon(17, 18)],
  wmi_event: [sysmon(19, 20, 21)],
  dns_query: [sysmon(22)],
  file_delete: [sysmon(23)],
  clipboard_change: [sysmon(24)],
  process_tampering: [sysmon(25)],
  file_delete_detected: [sysmon(26)],
  file_block_executable: [sysmon(27)],
  file_block_shredding: [sysmon(28)],
  file_executable_detected: [sysmon(29)],
  sysmon_error: [sysmon(255)],
  ps_module: [{ service: 'powershell', eventIds: [4103] }],
  ps_script: [{ service: 'powershell', eventIds: [4104] }],
  ps_classic_start: [{ service: 'powershell-classic', eventIds: [400] }],
  ps_classic_provider_start: [{ service: 'powershell-classic', eventIds: [600] }],
  ps_classic_script: [{ service: 'powershell-classic', eventIds: [800] }],
  antivirus: [
    {
      service: 'windefend',
      eventIds: [1006, 1007, 1008, 1009, 1010, 1011, 1012, 1017, 1018, 1019, 1115, 1116],
      fieldMap: { Signature: 'ThreatName', Filename: 'Path' },
    },
  ],
};

/** Sysmon for Linux writes the same event ids to its own channel. */
const LINUX_SYSMON_CHANNEL = 'linux-sysmon/operational';
const LINUX_CATEGORIES: Record<string, number[]> = {
  process_creation: [1],
  network_connection: [3],
  process_termination: [5],
  raw_access_thread: [9],
  file_event: [11],
  file_delete: [23],
};

/** Zeek-derived network events: product zeek names the log; generic categories read Zeek's logs. */
const ZEEK_CATEGORY: Record<string, { log: string; fieldMap?: Record<string, string> }> = {
  dns: {
    log: 'dns',
    fieldMap: { 'query': 'query', answer: 'answers', record_type: 'qtype_name', src_ip: 'id.orig_h', dst_ip: 'id.resp_h' },
  },
  proxy: {
    log: 'http',
    fieldMap: {
      'c-uri': 'uri',
      'c-uri-query': 'uri',
      'c-uri-stem': 'uri',
      'c-useragent': 'user_agent',
      'cs-host': 'host',
      'cs-method': 'method',
      'cs-referrer': 'referrer',
      'cs-version': 'version',
      'r-dns': 'host',
      'sc-status': 'status_code',
      'cs-bytes': 'request_body_len',
      'sc-bytes': 'response_body_len',
      'c-ip': 'id.orig_h',
      'dst-ip': 'id.resp_h',
      'src_ip': 'id.orig_h',
      'dst_ip': 'id.resp_h',
    },
  },
  firewall: {
    log: 'conn',
    fieldMap: { src_ip: 'id.orig_h', dst_ip: 'id.resp_h', src_port: 'id.orig_p', dst_port: 'id.resp_p' },
  },
};

/** Sigma's `product: zeek` services are Zeek log names, nearly always the same word. */
const ZEEK_SERVICE_LOG: Record<string, string> = { smb_files: 'smb_files', dce_rpc: 'dce_rpc' };

export function windowsKey(channelLower: string): string {
  return `win:${channelLower}`;
}

export function zeekKey(log: string): string {
  return `zeek:${log.toLowerCase()}`;
}

/** Key for every Windows channel (rules with `product: windows` and nothing narrower). */
export const ANY_WINDOWS = 'win:*';

function unmappedKey(ls: LogSource): string {
  return `ls:${ls.product ?? ''}/${ls.category ?? ''}/${ls.service ?? ''}`.toLowerCase();
}

function serviceChannels(service: string): string[] | undefined {
  return WINDOWS_SERVICE_CHANNELS[service.toLowerCase()];
}

/**
 * The variants a logsource reads. Never empty: a logsource we cannot place gets one `ls:` key, so
 * every rule is indexed somewhere and `rules list` can say it has no source yet (`mapped: false`).
 */
export function resolveLogsource(ls: LogSource): { variants: SourceVariant[]; mapped: boolean } {
  const product = ls.product?.toLowerCase();
  const category = ls.category?.toLowerCase();
  const service = ls.service?.toLowerCase();
  const windowsLike = product === 'windows' || (product === undefined && category !== undefined && category in WINDOWS_CATEGORIES);

  if (windowsLike) {
    if (category !== undefined) {
      const cats = WINDOWS_CATEGORIES[category];
      if (!cats) return { variants: [{ key: unmappedKey(ls), label: `unmapped ${category}` }], mapped: false };
      const out: SourceVariant[] = [];
      for (const v of cats) {
        if (service !== undefined && service !== v.service) continue;
        for (const ch of serviceChannels(v.service) ?? []) {
          out.push({
            key: windowsKey(ch),
            eventIds: v.eventIds,
            conditions: v.conditions,
            fieldMap: v.fieldMap,
            label: `${v.service}${v.eventIds ? ` ${v.eventIds.join('/')}` : ''}`,
          });
        }
      }
      if (out.length) return { variants: out, mapped: true };
      return { variants: [{ key: unmappedKey(ls), label: `unmapped ${category}/${service}` }], mapped: false };
    }
    if (service !== undefined) {
      const chans = serviceChannels(service);
      if (!chans) return { variants: [{ key: unmappedKey(ls), label: `unmapped service ${service}` }], mapped: false };
      return { variants: chans.map((ch) => ({ key: windowsKey(ch), label: service })), mapped: true };
    }
    return { variants: [{ key: ANY_WINDOWS, label: 'any windows channel' }], mapped: true };
  }

  if (product === 'linux' && category !== undefined && LINUX_CATEGORIES[category]) {
    return {
      variants: [{ key: windowsKey(LINUX_SYSMON_CHANNEL), eventIds: LINUX_CATEGORIES[category], label: 'sysmon for linux' }],
      mapped: true,
    };
  }

  if (product === 'zeek' && service !== undefined) {
    const log = ZEEK_SERVICE_LOG[service] ?? service;
    return { variants: [{ key: zeekKey(log), label: `zeek ${log}` }], mapped: true };
  }
  if ((product === undefined || product === 'zeek') && category !== undefined && ZEEK_CATEGORY[category]) {
    const z = ZEEK_CATEGORY[category]!;
    return { variants: [{ key: zeekKey(z.log), fieldMap: z.fieldMap, label: `zeek ${z.log}` }], mapped: true };
  }
  return { variants: [{ key: unmappedKey(ls), label: 'no Loupe source yet' }], mapped: false };
}

/** True when every attribute the filter's logsource sets is equal in the rule's (Sigma filters). */
export function logsourceIncludes(outer: LogSource, inner: LogSource): boolean {
  const eq = (a?: string, b?: string) => a === undefined || (b !== undefined && a.toLowerCase() === b.toLowerCase());
  return eq(outer.product, inner.product) && eq(outer.category, inner.category) && eq(outer.service, inner.service);
}
