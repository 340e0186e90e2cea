/** Reports of a case: JSON for scripts, one self-contained HTML file for people. */
import { writeFileSync } from 'node:fs';
import { summaryJson, type SummaryData } from '../cli/summary.js';
import type { CaseStore } from '../store/types.js';
import { renderHtmlReport } from './html.js';
import { networkReportJson, type NetworkReportInput } from './network-report.js';

export interface ReportOptions {
  lang?: string;
  /** The network verdicts of the run, when it read network evidence. */
  network?: NetworkReportInput;
}

export function writeReport(path: string, store: CaseStore, data: SummaryData, opts: ReportOptions = {}): void {
  if (/\.html?$/i.test(path)) writeFileSync(path, renderHtmlReport(store, data, opts));
  else
    writeFileSync(
      path,
      `${JSON.stringify(
        { summary: summaryJson(data), alerts: data.alerts, evidence: store.listEvidence(), network: opts.network ? networkReportJson(opts.network, opts.lang) : undefined },
        null,
        2,
      )}\n`,
    );
}
