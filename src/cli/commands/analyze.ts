/** `loupe analyze`: evidence in; graph, events and alerts into the store; a summary out. */
import type { Command } from 'commander';

import { buildDetectors } from '../../detect/index.js';
import { analyzePaths } from '../../pipeline/analyze.js';
import { openAsyncWriter } from '../../store/sqlite/async-writer.js';
import { defaultDbPath, openStore } from '../../store/index.js';
import { terminalProgress } from '../progress.js';
import { summaryJson, summaryText, type SummaryData } from '../summary.js';
import { REPORT_KINDS, writeReport } from '../../report/index.js';
import { networkFindingsOf } from '../../report/network-report.js';
import { generateExample } from '../../sources/example/generate.js';
import { chainSession } from '../../detect/chains/session.js';
import { chainOptionsFrom } from './serve.js';

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description('read evidence files or folders (archives opened directly) into a case: events, entity graph, alerts')
    .argument('[paths...]', 'files or folders of evidence (.evtx, .json, .xml, .csv, .pcap, Zeek logs, .zip, .gz, .tar, .mans ...)')
    .option('--case <name>', 'case to add the evidence to', 'default')
    .option('--db <path>', 'store file (default: $LOUPE_DB or ./loupe-data/loupe.db)')
    .option('--out <file>', `also write a report or timeline (repeatable): ${REPORT_KINDS}`, collect)
    .option('--rules <path>', 'Sigma rules folder or file (repeatable)', collect)
    .option('--no-builtin-rules', "leave Loupe's built-in Sigma rules out")
    .option('--iocs <file>', 'indicator file: TinyCheck/MISP/STIX JSON, CSV, list, hosts (repeatable)', collect)
    .option('--whitelist <file>', 'whitelist file (repeatable)', collect)
    .option('--no-default-iocs', "leave out TinyCheck's indicator feed, loaded by default")
    .option('--no-default-whitelist', "leave out TinyCheck's whitelist, loaded by default")
    .option('--active', 'network checks that look things up (name servers, WHOIS age): off by default, never fatal offline')
    .option('--lang <code>', 'language of alert texts (en, fr, de, es, it, pt, ru, ca, sk, zh)', 'en')
    .option('--example', 'analyse the built-in example intrusion (generated on the spot)')
    .option('--field-map <file>', 'read JSON with no reader of its own through this field map (YAML or JSON; see docs/sources.md)')
    .option('--reader-option <key=value>', 'an option for readers, e.g. procmon.date=2024-05-01 (repeatable; see docs/sources.md)', collect)
    .option('--threshold <score>', 'process-chain score that makes a threat (default 60)', (v) => Number(v))
    .option('--allow <file>', 'allow rules for process chains: hash, signer, path, command line (repeatable; docs/chains-and-server.md)', collect)
    .option('--plugins <dir>', 'load process-chain plugins from this folder')
    .option('--archive-password <password>', 'password for encrypted zip members (repeatable; "infected" and "malware" are always tried)', collect)
    .option('--json', 'print the summary as JSON (for scripts)')
    .option('--no-progress', 'no progress bars')
    .action(async (paths: string[], o) => {
      const inputs = [...paths];
      if (o.example) inputs.push(await generateExample());
      if (inputs.length === 0) {
        process.stderr.write('loupe analyze: give files or folders to read, or --example\n');
        process.exitCode = 2;
        return;
      }
      const db = o.db ?? defaultDbPath();
      const store = openStore(db);
      try {
        const caseStore = store.openCase(o.example && o.case === 'default' ? 'example' : o.case);
        const notes: string[] = [];
        const { detectors, notes: loaded } = await buildDetectors({
          rules: o.rules,
          noBuiltinRules: o.builtinRules === false,
          iocs: o.iocs,
          whitelist: o.whitelist,
          lang: o.lang,
          db,
          active: o.active === true,
          noDefaultIocs: o.defaultIocs === false,
          noDefaultWhitelist: o.defaultWhitelist === false,
          chains: chainOptionsFrom(o, (m) => notes.push(m)),
        });
        // Process chains: the case's open ones resumed; threats saved at the end of the run.
        const chains = chainSession(store, caseStore, detectors);
        notes.unshift(...loaded);
        const readerOptions: Record<string, unknown> = {};
        for (const kv of (o.readerOption as string[] | undefined) ?? []) {
          const eq = kv.indexOf('=');
          if (eq > 0) readerOptions[kv.slice(0, eq)] = kv.slice(eq + 1);
        }
        if (o.fieldMap) readerOptions.fieldMap = o.fieldMap;
        // SQLite's writing runs on a second thread, beside reading and detection.
        const writer = db === ':memory:' ? undefined : openAsyncWriter(db, caseStore.name);
        let result;
        try {
          result = await analyzePaths(inputs, { store: caseStore, detectors, progress: terminalProgress(o.progress && !o.json), readerOptions, writer, expand: { passwords: o.archivePassword } });
        } finally {
          await writer?.close();
        }
        chains?.save();
        const data: SummaryData = { caseName: caseStore.name, db, result, counts: caseStore.counts(), alerts: caseStore.alerts(), notes, threats: chains?.records() };
        const outs = (o.out as string[] | undefined) ?? [];
        if (outs.length) {
          const findings = await networkFindingsOf(detectors);
          const hasNetwork = findings !== undefined && Object.values(findings.records).some((n) => n > 0);
          const network = hasNetwork
            ? { findings, evidence: caseStore.listEvidence().map((e) => ({ name: e.name, format: e.format, records: e.records, errors: e.errors, errorSamples: e.errorSamples })) }
            : undefined;
          for (const out of outs) {
            try {
              writeReport(out, caseStore, data, { lang: o.lang, network });
              notes.push(`written: ${out}`);
            } catch (err) {
              notes.push(`could not write ${out}: ${(err as Error).message}`);
              process.exitCode = 1;
            }
          }
        }
        process.stdout.write(o.json ? `${JSON.stringify(summaryJson(data), null, 2)}\n` : `${summaryText(data)}\n`);
        // Non-zero only when nothing at all could be read.
        if (result.events === 0) process.exitCode = 1;
      } finally {
        store.close();
      }
    });
}


