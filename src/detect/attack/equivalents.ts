/**
 * ATT&CK v19 moved the log-impairment techniques into a new technique, T1685, under the new
 * "defense-impairment" tactic. SigmaHQ's rules already carry the v19 ids, while the table Loupe
 * ships (built from the v18.1 bundle in the shared data) and most datasets' annotations use the
 * v18 ones. An alert tagged with a v19 id also names its v18 equivalent, so that it lines up with
 * the shipped table, Navigator layers on v18, and annotations written before v19.
 *
 * The pairs below were worked out from the rules that carry each v19 tag (their titles and
 * detections), not from MITRE's crosswalk, which was not at hand: replace this table with the
 * published one when the shipped table moves to v19. T1685 itself is left unmapped: its rules
 * mix several v18 techniques.
 */
export const V18_EQUIVALENT: Readonly<Record<string, string>> = {
  // audit policy (auditpol), MiniNt key, EventLog autologger, IIS logging off
  'T1685.001': 'T1562.002', // Disable Windows Event Logging
  // AWS GuardDuty / CloudTrail / Config recording disabled
  'T1685.002': 'T1562.008', // Disable or Modify Cloud Logs
  // auditctl rules deleted
  'T1685.004': 'T1562.012', // Disable or Modify Linux Audit System
  // event logs cleared (wevtutil cl, ClearEventLog, Security log cleared)
  'T1685.005': 'T1070.001', // Clear Windows Event Logs
  // syslog / kernel ring buffer / macOS logs cleared
  'T1685.006': 'T1070.002', // Clear Linux or Mac System Logs
};
