/** Reports of a case: JSON for scripts, one self-contained HTML file for people. */
import { writeFileSync } from 'node:fs';
import { summaryJson, type SummaryData } from '../cli/summary.js';
import type { CaseStore } from '../store/types.js';
import { renderHtmlReport } from './html.js';
import { networkReportJson, type NetworkReportInput } from './network-report.js';
import { timelineCsv, timelineJsonl, timesketchJsonl } from './timeline.js';

export interface ReportOptions {
  lang?: string;
  /** The network verdicts of the run, when it read network evidence. */
  network?: NetworkReportInput;
}

/** The kinds of `--out` file, by extension. */
export const REPORT_KINDS = 'FILE.html (report), FILE.json (report data), FILE.csv (Hayabusa-column alert timeline), FILE.jsonl (alert timeline), FILE.timesketch.jsonl (Timesketch import)';

export function writeReport(path: string, store: CaseStore, data: SummaryData, opts: ReportOptions = {}): void {
  if (/\.html?$/i.test(path)) writeFileSync(path, renderHtmlReport(store, data, opts));
  else if (/\.timesketch\.jsonl$/i.test(path)) writeFileSync(path, timesketchJsonl(data.alerts));
  else if (/\.jsonl$/i.test(path)) writeFileSync(path, timelineJsonl(data.alerts));
  else if (/\.csv$/i.test(path)) writeFileSync(path, timelineCsv(data.alerts));
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
