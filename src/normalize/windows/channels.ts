/**
 * Channel names as Windows writes them. Shippers change their case (NXLog's `security`) or leave
 * them out (old Winlogbeat Sysmon records carry only the provider GUID); Loupe always stores the
 * canonical spelling so that rules, filters and reports compare like with like.
 */

export const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
export const SECURITY = 'Security';
export const SYSTEM = 'System';
export const POWERSHELL_OPERATIONAL = 'Microsoft-Windows-PowerShell/Operational';
export const POWERSHELL_CLASSIC = 'Windows PowerShell';

const CANONICAL = new Map<string, string>(
  [
    SYSMON,
    SECURITY,
    SYSTEM,
    'Application',
    POWERSHELL_OPERATIONAL,
    POWERSHELL_CLASSIC,
    'Microsoft-Windows-WMI-Activity/Operational',
    'Microsoft-Windows-TaskScheduler/Operational',
    'Microsoft-Windows-Windows Defender/Operational',
    'Microsoft-Windows-Bits-Client/Operational',
    'Microsoft-Windows-DNS-Client/Operational',
    'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
    'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
    'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall',
    'Microsoft-Windows-CodeIntegrity/Operational',
    'Microsoft-Windows-AppLocker/EXE and DLL',
    'Microsoft-Windows-AppLocker/MSI and Script',
    'Microsoft-Windows-SMBClient/Security',
    'Microsoft-Windows-NTLM/Operational',
    'Microsoft-Windows-DriverFrameworks-UserMode/Operational',
  ].map((c) => [c.toLowerCase(), c]),
);

/** Provider name or GUID → the channel its events go to, for records that lost the channel. */
const PROVIDER_CHANNEL = new Map<string, string>([
  ['microsoft-windows-sysmon', SYSMON],
  ['5770385f-c22a-43e0-bf4c-06f5698ffbd9', SYSMON],
  ['microsoft-windows-security-auditing', SECURITY],
  ['54849625-5478-4994-a5ba-3e3b0328c30d', SECURITY],
  ['microsoft-windows-powershell', POWERSHELL_OPERATIONAL],
  ['a0c1853b-5c40-4b15-8766-3cf1c58f985a', POWERSHELL_OPERATIONAL],
  ['service control manager', SYSTEM],
  ['555908d1-a6d7-4695-8e1e-26931d2012f4', SYSTEM],
]);

export function canonicalChannel(channel: string | undefined, provider?: string, providerGuid?: string): string {
  if (channel) return CANONICAL.get(channel.toLowerCase()) ?? channel;
  const byName = provider ? PROVIDER_CHANNEL.get(provider.toLowerCase()) : undefined;
  if (byName) return byName;
  const guid = providerGuid?.replace(/[{}]/g, '').toLowerCase();
  return (guid && PROVIDER_CHANNEL.get(guid)) || '';
}
