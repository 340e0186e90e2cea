/**
 * Loupe's own rules (rules/): they all load cleanly, and on the example intrusion that
 * `loupe analyze --example` generates each fires exactly as often as the story in
 * src/sources/example/generate.ts says it should.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigmaEngine } from '../../src/detect/sigma/engine.js';
import { builtinRulesDir } from '../../src/detect/sigma/loader.js';
import { SigmaDetector } from '../../src/detect/sigma/detector.js';
import type { Alert } from '../../src/detect/types.js';
import { writeExample } from '../../src/sources/example/generate.js';
import { fileInput } from '../../src/sources/inputs.js';
import { chooseReader } from '../../src/sources/registry.js';

test('built-in rules load with no error or warning', () => {
  const e = SigmaEngine.fromPaths([builtinRulesDir()]);
  assert.deepEqual(e.failures, []);
  assert.equal(e.index.rules.length, 10); // the files in rules/windows: one rule each (the correlation is counted apart)
  assert.equal(e.correlations.length, 1);
  for (const r of [...e.loaded.rules, ...e.loaded.correlations]) assert.deepEqual(r.warnings, [], r.title);
});

test('built-in rules fire on the example intrusion as the story says', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-example-'));
  try {
    const file = join(dir, 'example.json');
    await writeExample(file);
    const input = await fileInput(file);
    const reader = chooseReader(input)!.reader;
    const det = new SigmaDetector(SigmaEngine.fromPaths([builtinRulesDir()]));
    const alerts: Alert[] = [];
    let n = 0;
    for await (const batch of reader.read(input, { error: (w, r) => assert.fail(`${JSON.stringify(w)} ${r}`) })) {
      for (const ev of batch) det.onEvent(ev, { eventId: `ex:${++n}`, emit: (a) => alerts.push(a) });
    }
    det.finish((a) => alerts.push(a));
    const count = (title: string) => alerts.filter((a) => a.title === title).length;
    // Word starts cmd.exe (1); cmd starts powershell -enc <UTF-16 base64 of a WebClient download> (1);
    // PowerShell writes OneDriveUpdater.exe to AppData (1); the implant sets a Run value to it (1);
    // it opens lsass with 0x1010 (1); it runs whoami, net group, nltest /dclist (3 + 1 burst).
    assert.equal(count('Office Application Starts a Shell or Script Interpreter'), 1);
    assert.equal(count('PowerShell Downloads a File or Script'), 1);
    assert.equal(count('Script Interpreter Writes an Executable to a User Folder'), 1);
    assert.equal(count('Run Key Points to a Program in a User-Writable Folder'), 1);
    assert.equal(count('LSASS Memory Read by an Unusual Process'), 1);
    assert.equal(count('Account and Domain Discovery Command'), 3);
    const burst = alerts.filter((a) => a.title === 'Burst of Discovery Commands from One Process');
    assert.equal(burst.length, 1);
    assert.equal(burst[0]!.count, 3);
    assert.equal(alerts.length, 9);
    const ps = alerts.find((a) => a.title === 'PowerShell Downloads a File or Script')!;
    assert.deepEqual(ps.techniques, ['T1059.001', 'T1105', 'T1027.010']);
    assert.deepEqual(ps.tactics, ['execution', 'command-and-control', 'defense-evasion']);
    assert.equal(ps.host, 'WKSTN-07.corp.example.com');
    assert.match(String((ps.details!.matched as Record<string, unknown>).CommandLine), /^powershell\.exe -nop -w hidden -enc /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
