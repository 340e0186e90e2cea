/**
 * The compiled plans (render-json-compiled.ts, render-json-text.ts, render-xml-compiled.ts) must
 * render exactly what the general renderers render: every record of every shared sample.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { needShared, shared } from '../helpers/shared.js';
import { ChunkContext } from '../../src/sources/evtx/binxml.js';
import { readChunk } from '../../src/sources/evtx/chunk.js';
import { renderJson } from '../../src/sources/evtx/render-json.js';
import { planCovers, renderPlanned } from '../../src/sources/evtx/render-json-compiled.js';
import { budget } from '../../src/sources/evtx/resolve.js';
import { renderJsonText } from '../../src/sources/evtx/render-json-text.js';
import { renderXml } from '../../src/sources/evtx/render-xml.js';
import { renderXmlPlanned } from '../../src/sources/evtx/render-xml-compiled.js';
import { jsonDiff } from './helpers.js';

test('compiled plans (objects, JSON text, XML) render every sample record as the general renderer does', { skip: needShared('evtx', 'samples') }, () => {
  const dir = shared('evtx', 'samples');
  let records = 0;
  let planned = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.evtx')).sort()) {
    const b = readFileSync(`${dir}/${f}`);
    for (let o = 4096; o + 65536 <= b.length; o += 65536) {
      const c = b.subarray(o, o + 65536);
      if (c.toString('latin1', 0, 8) !== 'ElfChnk\0') continue;
      const ctx = new ChunkContext(c);
      for (const rec of readChunk(c, 0, o).records) {
        const ro = rec.offset - o;
        const root = ctx.record(ro + 24, c.readUInt32LE(ro + 4) - 28);
        records++;
        if (root.k !== 10 || !planCovers(root)) continue;
        planned++;
        budget.left = 1e9;
        const general = renderJson(root);
        budget.left = 1e9;
        assert.deepEqual(jsonDiff(renderPlanned(root), general), [], `${f} record ${rec.recordId}`);
        // The text plans write the same JSON (parsed back, it is the same object).
        budget.left = 1e9;
        assert.deepEqual(jsonDiff(JSON.parse(renderJsonText(root, false)), general), [], `${f} record ${rec.recordId} as text`);
        // And the XML plans write the general renderer's XML, byte for byte.
        budget.left = 1e9;
        const xml = renderXml(root);
        budget.left = 1e9;
        assert.equal(renderXmlPlanned(root), xml, `${f} record ${rec.recordId} as XML`);
      }
    }
  }
  console.log(`evtx plans: ${planned} of ${records} sample records rendered through compiled plans (objects, JSON text, XML), all equal to the general renderer`);
  assert.ok(planned > records * 0.9);
});
