/** Reports of a case: JSON for scripts, one self-contained HTML file for people. */
import { writeFileSync } from 'node:fs';
import { summaryJson, type SummaryData } from '../cli/summary.js';
import type { CaseStore } from '../store/types.js';
import { renderHtmlReport } from './html.js';

export interface ReportOptions {
  lang?: string;
}

export function writeReport(path: string, store: CaseStore, data: SummaryData, opts: ReportOptions = {}): void {
  if (/\.html?$/i.test(path)) writeFileSync(path, renderHtmlReport(store, data, opts));
  else writeFileSync(path, `${JSON.stringify({ summary: summaryJson(data), alerts: data.alerts, evidence: store.listEvidence() }, null, 2)}\n`);
}
