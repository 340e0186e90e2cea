/**
 * Every network alert id with its default level and ATT&CK mapping. TinyCheck's levels map to
 * Sigma's: High → high, Moderate → medium, Low → low. Ids beyond TinyCheck follow its naming.
 */
import type { Level } from '../types.js';
import type { AlertKey } from '../../report/i18n/index.js';

export interface RuleInfo {
  level: Level;
  techniques: string[];
  tactics: string[];
}

const C2 = 'command-and-control';
const RD = 'resource-development';

export const RULES: Record<AlertKey, RuleInfo> = {
  'PROTO-01': { level: 'medium', techniques: ['T1095'], tactics: [C2] },
  'PROTO-02': { level: 'low', techniques: ['T1571'], tactics: [C2] },
  'PROTO-03': { level: 'low', techniques: [], tactics: [] },
  'PROTO-04': { level: 'medium', techniques: ['T1571'], tactics: [C2] },
  'PROTO-05': { level: 'low', techniques: [], tactics: [] },
  'IOC-01': { level: 'high', techniques: [], tactics: [] },
  'IOC-02': { level: 'medium', techniques: [], tactics: [] },
  'IOC-03': { level: 'high', techniques: [], tactics: [] },
  'IOC-04': { level: 'medium', techniques: [], tactics: [] },
  'IOC-05': { level: 'medium', techniques: ['T1568'], tactics: [C2] },
  'IOC-06': { level: 'low', techniques: [], tactics: [] },
  'IOC-07': { level: 'high', techniques: ['T1573'], tactics: [C2] },
  'IOC-08': { level: 'high', techniques: ['T1071.001'], tactics: [C2] },
  'IOC-09': { level: 'medium', techniques: ['T1568', 'T1071.001'], tactics: [C2] },
  'IOC-10': { level: 'low', techniques: ['T1071.001'], tactics: [C2] },
  'IOC-11': { level: 'high', techniques: ['T1573'], tactics: [C2] },
  'IOC-12': { level: 'high', techniques: ['T1105'], tactics: [C2] },
  'IOC-13': { level: 'high', techniques: ['T1071.001'], tactics: [C2] },
  'SSL-01': { level: 'medium', techniques: ['T1571', 'T1573'], tactics: [C2] },
  'SSL-02': { level: 'medium', techniques: ['T1588.004'], tactics: [RD] },
  'SSL-03': { level: 'medium', techniques: ['T1573.002'], tactics: [C2] },
  'SSL-04': { level: 'high', techniques: ['T1573'], tactics: [C2] },
  'SSL-05': { level: 'medium', techniques: ['T1573'], tactics: [C2] },
  'SSL-06': { level: 'medium', techniques: ['T1573'], tactics: [C2] },
  'SSL-07': { level: 'informational', techniques: [], tactics: [] },
  'ACT-01': { level: 'medium', techniques: ['T1583.002'], tactics: [RD] },
  'ACT-02': { level: 'medium', techniques: ['T1583.001'], tactics: [RD] },
  'ADV-01': { level: 'medium', techniques: [], tactics: [] },
  'SNORT-01': { level: 'high', techniques: [], tactics: [] },
  'DNS-01': { level: 'medium', techniques: ['T1071.004', 'T1048'], tactics: [C2, 'exfiltration'] },
  'DNS-02': { level: 'low', techniques: ['T1071.004'], tactics: [C2] },
  'DNS-03': { level: 'medium', techniques: ['T1071.004'], tactics: [C2] },
  'DGA-01': { level: 'low', techniques: ['T1568.002'], tactics: [C2] },
  'DGA-02': { level: 'high', techniques: ['T1568.002'], tactics: [C2] },
  'CONN-01': { level: 'low', techniques: ['T1071'], tactics: [C2] },
  'BEACON-01': { level: 'low', techniques: ['T1071'], tactics: [C2] },
};
