import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGS, ENGLISH, LANGUAGES, alertText, fill, placeholders, reportText, resolveLanguage, levelText } from '../../src/report/i18n/index.js';
import { LEVELS } from '../../src/detect/types.js';

test('every catalog has every key of the English one, with the same placeholders', () => {
  assert.equal(LANGUAGES.length, 10);
  const problems: string[] = [];
  for (const lang of LANGUAGES) {
    const c = CATALOGS[lang];
    for (const [id, en] of Object.entries(ENGLISH.alerts)) {
      for (const part of ['title', 'description'] as const) {
        const t = c.alerts?.[id as keyof typeof ENGLISH.alerts]?.[part];
        if (typeof t !== 'string' || t.trim() === '') problems.push(`${lang}: alerts.${id}.${part} missing`);
        else if (placeholders(t).join() !== placeholders(en[part]).join()) problems.push(`${lang}: alerts.${id}.${part} has {${placeholders(t)}} instead of {${placeholders(en[part])}}`);
      }
    }
    for (const [key, en] of Object.entries(ENGLISH.report)) {
      const t = c.report?.[key as keyof typeof ENGLISH.report];
      if (typeof t !== 'string' || t.trim() === '') problems.push(`${lang}: report.${key} missing`);
      else if (placeholders(t).join() !== placeholders(en).join()) problems.push(`${lang}: report.${key} placeholders differ`);
    }
    for (const level of LEVELS) if (!c.levels?.[level]) problems.push(`${lang}: levels.${level} missing`);
    // No stray keys that English does not know (a typo would silently never be used).
    for (const id of Object.keys(c.alerts ?? {})) if (!(id in ENGLISH.alerts)) problems.push(`${lang}: unknown alert ${id}`);
    for (const k of Object.keys(c.report ?? {})) if (!(k in ENGLISH.report)) problems.push(`${lang}: unknown report key ${k}`);
  }
  assert.deepEqual(problems, []);
  // The TinyCheck alert ids are all there (23 of them), so its users find them again.
  const tinycheck = ['PROTO-01', 'PROTO-02', 'PROTO-03', 'PROTO-04', 'PROTO-05', ...Array.from({ length: 10 }, (_, i) => `IOC-${String(i + 1).padStart(2, '0')}`), 'ACT-01', 'ACT-02', 'SSL-01', 'SSL-02', 'SSL-03', 'SSL-04', 'ADV-01', 'SNORT-01'];
  assert.equal(tinycheck.length, 23);
  for (const id of tinycheck) assert.ok(id in ENGLISH.alerts, id);
});

test('named placeholders are filled, unknown ones stay visible, missing keys fall back to English', () => {
  assert.equal(fill('{a} and {b}', { a: 1 }), '1 and {b}');
  assert.equal(alertText('fr', 'IOC-03', 'title', { domain: 'x.com', tag: 'apt', ioc: 'x.com' }), 'Communication avec x.com, domaine connu (apt)');
  assert.equal(alertText('klingon', 'PROTO-03', 'title', { host: 'h' }), 'Unencrypted HTTP traffic to h');
  assert.equal(resolveLanguage('cat'), 'ca', "TinyCheck's file name for Catalan");
  assert.equal(resolveLanguage('cn'), 'zh');
  assert.equal(resolveLanguage('pt_BR'), 'pt');
  assert.equal(reportText('de', 'alerts_title'), 'Warnungen');
  assert.equal(levelText('zh', 'high'), '高');
  // A catalog missing a key (say, a plugin's language file) falls back to English per key.
  const saved = CATALOGS.sk.report!.none;
  delete (CATALOGS.sk.report as Record<string, string>).none;
  try {
    assert.equal(reportText('sk', 'none'), 'none');
  } finally {
    (CATALOGS.sk.report as Record<string, string>).none = saved!;
  }
});
