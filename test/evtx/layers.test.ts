/**
 * One layer at a time: bytes and times, the file header, the chunk header, records, BinXML
 * tokens, templates with substitutions, and every value type. Real files where a peer tool states
 * the answer (python-evtx's evtx_info.py, libevtx's evtxinfo, the evtx crate's own tests); hand-built
 * bytes (fixtures.ts) where the answer follows from the format, with the reasoning alongside.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cp1252, hexPrefixed, utf16, EvtxFormatError } from '../../src/sources/evtx/bytes.js';
import { filetimeMs, filetimeText, systemtimeText } from '../../src/sources/evtx/time.js';
import { parseFileHeader, isEvtxMagic } from '../../src/sources/evtx/file-header.js';
import { parseChunkHeader, chunkChecksumProblem } from '../../src/sources/evtx/chunk-header.js';
import { readChunk } from '../../src/sources/evtx/chunk.js';
import { ChunkBuilder, T, Writer, filetime, utf16z } from './fixtures.js';
import { needShared, shared } from '../helpers/shared.js';

const SECURITY = shared('evtx', 'samples', 'security.evtx');
const skipSamples = needShared('evtx', 'samples', 'security.evtx');

function u32le(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

/** One record whose template is `body` with `values`; returns the rendered JSON object and XML. */
function render(body: (w: Writer) => void, values: [number, Uint8Array][], opts: { separateAttributes?: boolean } = {}) {
  const c = new ChunkBuilder();
  c.record(1, (w) => {
    w.fragmentHeader();
    w.instance(body, values);
    w.eof();
  });
  const r = readChunk(c.finish(), 0, 4096, { json: true, xml: true, ...opts });
  assert.deepEqual(r.issues.filter((i) => i.kind !== 'warning'), []);
  assert.equal(r.records.length, 1);
  return { json: r.records[0].json as Record<string, unknown>, xml: r.records[0].xml as string };
}

test('bytes: UTF-16 stops at the first NUL, ANSI is Windows-1252, hex integers have no padding', () => {
  const b = Buffer.concat([utf16z('abc'), Buffer.from([0, 0]), utf16z('zz')]);
  assert.equal(utf16(b, 0, 6), 'abc');
  // 0x80 is the euro sign in Windows-1252, 0xE9 is é; NUL bytes are dropped.
  assert.equal(cp1252(Buffer.from([0x80, 0x41, 0x00, 0xe9]), 0, 4), '€Aé');
  assert.throws(() => cp1252(Buffer.from([0x81]), 0, 1), EvtxFormatError);
  assert.equal(hexPrefixed(0), '0x0');
  assert.equal(hexPrefixed(0x3e7), '0x3e7');
  assert.equal(hexPrefixed(0x8020000000000000n), '0x8020000000000000');
});

test('times: FILETIME and SYSTEMTIME as the crate prints them', () => {
  // 2024-01-02T03:04:05.678Z: FILETIME = (epoch ms + 11644473600000) * 10000 ticks of 100 ns.
  const ft = filetime(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
  assert.equal(filetimeText(ft, 0), '2024-01-02T03:04:05.678000Z');
  assert.equal(filetimeMs(ft, 0), Date.UTC(2024, 0, 2, 3, 4, 5, 678));
  // Ticks below a microsecond are truncated: +9 ticks (0.9 µs) still prints .678000.
  const ft9 = Buffer.from(ft);
  ft9.writeBigUInt64LE(ft.readBigUInt64LE() + 9n);
  assert.equal(filetimeText(ft9, 0), '2024-01-02T03:04:05.678000Z');
  // FILETIME 0 is the epoch 1601-01-01.
  assert.equal(filetimeText(Buffer.alloc(8), 0), '1601-01-01T00:00:00.000000Z');
  // SYSTEMTIME: year, month, day-of-week, day, hour, minute, second, milliseconds (u16 each).
  const st = Buffer.alloc(16);
  [2017, 5, 5, 19, 2, 2, 36, 203].forEach((v, i) => st.writeUInt16LE(v, i * 2));
  assert.equal(systemtimeText(st, 0), '2017-05-19T02:02:36.203000Z');
  assert.equal(systemtimeText(Buffer.alloc(16), 0), '1601-01-01T00:00:00.000000Z');
  const bad = Buffer.from(st);
  bad.writeUInt16LE(13, 2); // month 13
  assert.throws(() => systemtimeText(bad, 0), EvtxFormatError);
});

test('file header: security.evtx as python-evtx and libevtx describe it', { skip: skipSamples }, () => {
  const h = parseFileHeader(readFileSync(SECURITY).subarray(0, 4096));
  // evtx_info.py prints the header's fields: "Format version 3.1, Flags 0x00000001 (dirty),
  // Current chunk 25 of 26, Next record# 2226, Check sum pass".
  assert.equal(h.majorVersion, 3);
  assert.equal(h.minorVersion, 1);
  assert.equal(h.flags, 1);
  assert.equal(h.chunkCount, 26);
  assert.equal(h.lastChunk, 25);
  assert.equal(h.nextRecordId, 2226);
  assert.equal(h.checksumOk, true);
  assert.equal(h.headerBlockSize, 4096);
  assert.ok(isEvtxMagic(Buffer.from('ElfFile\0')));
  assert.ok(!isEvtxMagic(Buffer.from('ElfChnk\0')));
  assert.throws(() => parseFileHeader(Buffer.alloc(4096)), EvtxFormatError);
});

test('chunk header: first chunk of security.evtx as the evtx crate test and evtx_info.py state it', { skip: skipSamples }, () => {
  const chunk = readFileSync(SECURITY).subarray(4096, 4096 + 65536);
  const h = parseChunkHeader(chunk);
  // evtx crate, evtx_chunk.rs test_parses_evtx_chunk_header.
  assert.equal(h.firstRecordNumber, 1);
  assert.equal(h.lastRecordNumber, 91);
  assert.equal(h.firstRecordId, 1);
  assert.equal(h.lastRecordId, 91);
  assert.equal(h.headerSize, 128);
  assert.equal(h.lastRecordOffset, 64928);
  assert.equal(h.freeSpaceOffset, 65376);
  assert.equal(h.dataChecksum, 4_252_479_141);
  assert.equal(h.headerChecksum, 978_805_790);
  // evtx_info.py: chunk 1 "Header pass, Data pass".
  assert.equal(chunkChecksumProblem(chunk, h), undefined);
  const damaged = Buffer.from(chunk);
  damaged[600] ^= 0xff;
  assert.match(chunkChecksumProblem(damaged, parseChunkHeader(damaged)) ?? '', /records CRC32/);
  assert.throws(() => parseChunkHeader(Buffer.alloc(65536)), /bad magic/);
});

test('records: ids, write time and offsets; a broken record is skipped by its size, a bad header ends the chunk', () => {
  const c = new ChunkBuilder();
  const a = c.record(7, (w) => w.fragmentHeader().open('A').closeEmpty().eof(), { time: Date.UTC(2020, 1, 3, 4, 5, 6, 7) });
  // Record 8: an invalid token (0x7f) in its BinXML.
  c.record(8, (w) => w.fragmentHeader().u8(0x7f).eof());
  const b = c.record(9, (w) => w.fragmentHeader().open('B').closeEmpty().eof());
  const r = readChunk(c.finish(), 3, 4096 + 3 * 65536);
  assert.deepEqual(r.records.map((x) => x.recordId), [7, 9]);
  assert.equal(r.records[0].timestamp, '2020-02-03T04:05:06.007000Z');
  assert.equal(r.records[0].time, Date.UTC(2020, 1, 3, 4, 5, 6, 7));
  assert.equal(r.records[0].offset, 4096 + 3 * 65536 + a.offset);
  assert.equal(r.records[1].offset, 4096 + 3 * 65536 + b.offset);
  assert.deepEqual(r.records[0].json, { A: null });
  const errors = r.issues.filter((i) => i.kind === 'record');
  assert.equal(errors.length, 1);
  assert.equal(errors[0].recordId, 8);
  assert.match(errors[0].reason, /invalid BinXML token 0x7f/);

  // A record whose size is below 28 cannot be stepped over: an error, and the chunk ends there.
  const d = new ChunkBuilder();
  d.record(1, (w) => w.fragmentHeader().open('A').closeEmpty().eof());
  d.record(2, (w) => w.fragmentHeader().open('A').closeEmpty().eof(), { sizeOverride: 0 });
  d.record(3, (w) => w.fragmentHeader().open('A').closeEmpty().eof());
  const rd = readChunk(d.finish(), 0, 4096);
  assert.deepEqual(rd.records.map((x) => x.recordId), [1]);
  assert.match(rd.issues.find((i) => i.kind === 'record')!.reason, /record size 0/);

  // Zeroed space before the free-space offset: a warning (wiped records), not a record error.
  const z = new ChunkBuilder();
  z.record(1, (w) => w.fragmentHeader().open('A').closeEmpty().eof());
  const rz = readChunk(z.finish({ freeSpace: 4000, lastRecordId: 5 }), 0, 4096);
  assert.equal(rz.records.length, 1);
  assert.deepEqual(rz.issues.map((i) => i.kind), ['warning']);
  assert.match(rz.issues[0].reason, /zeroed space .* record ids 1\.\.5/);
});

test('BinXML tokens: elements, attributes, text, entity and character references, CDATA, processing instructions', () => {
  const c = new ChunkBuilder();
  c.record(1, (w) => {
    w.fragmentHeader();
    w.open('Root', true).attr('a').text('x&y').attr('empty').closeStart();
    w.open('T').closeStart().text('one').entity('amp').text('two').charRef(0x41).end();
    w.open('C').closeStart().cdata('<raw>').end();
    w.open('P').closeStart().piTarget('pi').piData('data').end();
    // An element start without the dependency id (some writers omit it).
    w.open('NoDep', false, false).closeEmpty();
    w.end().eof();
  });
  const r = readChunk(c.finish(), 0, 4096, { json: true, xml: true });
  assert.deepEqual(r.issues.filter((i) => i.kind !== 'warning'), []);
  const rec = r.records[0];
  // JSON: references resolve to characters, CDATA is text, PIs are left out; the attribute with no
  // value is dropped.
  assert.deepEqual(rec.json, { Root: { '#attributes': { a: 'x&y' }, T: 'one&twoA', C: '<raw>', P: null, NoDep: null } });
  // XML keeps references as written, CDATA as a section, the PI as <?target data?>.
  assert.equal(
    rec.xml,
    '<?xml version="1.0" encoding="utf-8"?>\n' +
      '<Root a="x&amp;y">\n' +
      '  <T>one&amp;two&#65;</T>\n' +
      '  <C><![CDATA[<raw>]]></C>\n' +
      '  <P><?pi data?></P>\n' +
      '  <NoDep>\n  </NoDep>\n' +
      '</Root>\n',
  );
});

test('templates: placeholders, optional substitutions, repeated names, EventData flattening', () => {
  const event = (w: Writer): void => {
    w.open('Event').closeStart();
    w.open('System').closeStart();
    w.open('EventID', true).attr('Qualifiers').sub(0, T.UINT16, true).closeStart().sub(1, T.UINT16).end();
    w.open('Level').closeStart().sub(2, T.UINT8).end();
    w.open('Security', true).attr('UserID').sub(3, T.SID, true).closeEmpty();
    w.open('H').closeStart().text('a').end();
    w.open('H').closeStart().text('b').end();
    w.open('H').closeStart().text('c').end();
    w.end();
    w.open('EventData').closeStart();
    w.open('Data', true).attr('Name').text('User').closeStart().sub(4, T.STRING).end();
    w.open('Data', true).attr('Name').text('Empty').closeStart().sub(5, T.STRING, true).end();
    w.open('Data', true).attr('Name').text('Pid').closeStart().sub(6, T.HEX32).end();
    w.end();
    w.end();
  };
  const sid = Buffer.from([1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 32, 2, 0, 0]); // S-1-5-32-544
  const values: [number, Uint8Array][] = [
    [T.NULL, Buffer.alloc(0)],
    [T.UINT16, Buffer.from([0x80, 0x11])], // 4480
    [T.UINT8, Buffer.from([4])],
    [T.SID, sid],
    [T.STRING, utf16z('alice  ')], // trailing spaces: kept in XML, dropped in JSON
    [T.STRING, Buffer.alloc(0)],
    [T.HEX32, u32le(0x1f4)],
  ];
  const { json, xml } = render(event, values);
  // Qualifiers is an optional substitution with a NULL value: the attribute disappears and
  // EventID is a plain number. Repeated <H> become H, H_1, H_2. Named Data flatten to keys; the
  // empty optional one is "" (Data elements are never null).
  assert.deepEqual(json, {
    Event: {
      System: { EventID: 4480, Level: 4, Security: { '#attributes': { UserID: 'S-1-5-32-544' } }, H: 'a', H_1: 'b', H_2: 'c' },
      EventData: { User: 'alice', Empty: '', Pid: '0x1f4' },
    },
  });
  assert.match(xml, /<Data Name="User">alice {2}<\/Data>/);
  // An omitted substitution leaves the element empty: closed on the next line at its own indent.
  assert.match(xml, /<Data Name="Empty">\n {4}<\/Data>/);

  // Separate attributes: `<Name>_attributes` siblings, and no `"Security": null` for an
  // element that only has attributes.
  const sep = render(event, values, { separateAttributes: true }).json as { Event: { System: Record<string, unknown> } };
  assert.deepEqual(sep.Event.System.Security_attributes, { UserID: 'S-1-5-32-544' });
  assert.equal('Security' in sep.Event.System, false);
});

test('unnamed Data: one value, several values, empty ones', () => {
  const body = (n: number) => (w: Writer): void => {
    w.open('Event').closeStart().open('EventData').closeStart();
    for (let i = 0; i < n; i++) w.open('Data').closeStart().sub(i, T.STRING, true).end();
    w.open('Binary').closeStart().sub(n, T.BINARY, true).end();
    w.end().end();
  };
  const one = render(body(1), [[T.STRING, utf16z('only')], [T.BINARY, Buffer.from([0xde, 0xad])]]).json;
  assert.deepEqual(one, { Event: { EventData: { Data: { '#text': 'only' }, Binary: 'DEAD' } } });
  const three = render(body(3), [[T.STRING, utf16z('a')], [T.STRING, Buffer.alloc(0)], [T.STRING, utf16z('c')], [T.BINARY, Buffer.alloc(0)]]);
  assert.deepEqual(three.json, { Event: { EventData: { Data: { '#text': ['a', '', 'c'] }, Binary: null } } });
  // <Binary> with nothing in it closes on the same line (the crate's one exception).
  assert.match(three.xml, /<Binary><\/Binary>/);
});

test('every value type renders as the crate renders it', () => {
  const types: [string, number, Buffer, unknown, string][] = [
    // [name, type, bytes, JSON value, XML text]
    ['i8', T.INT8, Buffer.from([0xff]), -1, '-1'],
    ['u8', T.UINT8, Buffer.from([0xff]), 255, '255'],
    ['i16', T.INT16, Buffer.from([0xfe, 0xff]), -2, '-2'],
    ['u16', T.UINT16, Buffer.from([0xfe, 0xff]), 65534, '65534'],
    ['i32', T.INT32, u32le(0xfffffffd), -3, '-3'],
    ['u32', T.UINT32, u32le(0xfffffffd), 4294967293, '4294967293'],
    ['i64', T.INT64, Buffer.from([0xfc, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), -4, '-4'],
    ['u64', T.UINT64, Buffer.from([5, 0, 0, 0, 1, 0, 0, 0]), 4294967301, '4294967301'],
    // Reals are text in the crate's JSON, shortest round-trip digits.
    ['r32', T.REAL32, Buffer.from(new Float32Array([1.5]).buffer), '1.5', '1.5'],
    ['r64', T.REAL64, Buffer.from(new Float64Array([0.1]).buffer), '0.1', '0.1'],
    ['r64int', T.REAL64, Buffer.from(new Float64Array([2]).buffer), '2.0', '2.0'],
    // Booleans are 32-bit; anything but 0 is true (sample-with-irregular-bool-values.evtx).
    ['b0', T.BOOL, u32le(0), false, 'false'],
    ['b2', T.BOOL, u32le(2), true, 'true'],
    ['bin', T.BINARY, Buffer.from([0x0a, 0xbc]), '0ABC', '0ABC'],
    // GUID: data1-3 little-endian, upper case, no braces.
    ['guid', T.GUID, Buffer.from('25968454785494 49a5ba3e3b0328c30d'.replace(/ /g, ''), 'hex'), '54849625-5478-4994-A5BA-3E3B0328C30D', '54849625-5478-4994-A5BA-3E3B0328C30D'],
    // size_t prints as a hex integer of its width.
    ['size4', T.SIZET, u32le(0x7eec), '0x7eec', '0x7eec'],
    ['size8', T.SIZET, Buffer.from([0xec, 0x7e, 0, 0, 0, 0, 0, 1]), '0x100000000007eec', '0x100000000007eec'],
    ['ft', T.FILETIME, filetime(Date.UTC(2016, 6, 8, 18, 12, 51, 681)), '2016-07-08T18:12:51.681000Z', '2016-07-08T18:12:51.681000Z'],
    ['hex64', T.HEX64, Buffer.from([0, 0, 0, 0, 0, 0, 0x20, 0x80]), '0x8020000000000000', '0x8020000000000000'],
    ['ansi', T.ANSI, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0]), 'café', 'café'],
    ['sarr1', T.STRING | T.ARRAY, Buffer.concat([utf16z('one'), Buffer.alloc(2)]), 'one', 'one'],
    ['u16arr1', T.UINT16 | T.ARRAY, Buffer.from([7, 0]), '7', '7'],
  ];
  const values: [number, Uint8Array][] = types.map(([, t, b]) => [t, b]);
  const body = (w: Writer): void => {
    w.open('E').closeStart();
    types.forEach(([name, t], i) => w.open(name).closeStart().sub(i, t).end());
    w.end();
  };
  const { json, xml } = render(body, values);
  const e = (json as { E: Record<string, unknown> }).E;
  for (const [name, , , j, x] of types) {
    assert.deepEqual(e[name], j, `JSON of ${name}`);
    assert.ok(xml.includes(`<${name}>${x}</${name}>`), `XML of ${name}`);
  }
});

test('arrays of several items repeat their element; nested BinXML substitutes elements', () => {
  const body = (w: Writer): void => {
    w.open('Event').closeStart();
    w.open('EventData').closeStart().open('Data').closeStart().sub(0, T.STRING | T.ARRAY).end().end();
    w.open('Ids').closeStart().open('Id').closeStart().sub(1, T.UINT32 | T.ARRAY).end().end();
    w.open('UserData').closeStart().sub(2, T.BINXML).end();
    w.end();
  };
  // Nested BinXML <Inner k="v">text</Inner> is written in place after the other values (its
  // names are inline, at chunk offsets), and its descriptor size patched.
  const c = new ChunkBuilder();
  c.record(1, (w) => {
    w.fragmentHeader();
    // Lay out the instance by hand to know where the BinXML value lands.
    const strings = Buffer.concat([utf16z('a'), Buffer.alloc(2), Buffer.alloc(2), utf16z('c'), Buffer.alloc(2)]);
    const ids = Buffer.concat([u32le(10), u32le(20)]);
    w.instance(body, [
      [T.STRING | T.ARRAY, strings],
      [T.UINT32 | T.ARRAY, ids],
      [T.BINXML, Buffer.alloc(0)], // placeholder, rewritten below
    ]);
    // Rewrite the last descriptor's size and append the nested fragment where its value starts.
    const start = w.pos;
    const inner = new Writer(w.buf, start);
    inner.fragmentHeader().open('Inner', true).attr('k').text('v').closeStart().text('text').end().eof();
    // Descriptor table: 3 entries of 4 bytes just before the values; the third is the BinXML one.
    const valuesStart = start - strings.length - ids.length;
    w.buf.writeUInt16LE(inner.pos - start, valuesStart - 4);
    w.pos = inner.pos;
    w.eof();
  });
  const r = readChunk(c.finish(), 0, 4096, { json: true, xml: true });
  assert.deepEqual(r.issues.filter((i) => i.kind !== 'warning'), []);
  const rec = r.records[0];
  // The string array ['a', '', 'c'] repeats <Data> three times; an empty item leaves it empty.
  // The u32 array repeats <Id>: Id, Id_1 in JSON.
  assert.deepEqual(rec.json, {
    Event: {
      EventData: { Data: { '#text': ['a', '', 'c'] } },
      Ids: { Id: 10, Id_1: 20 },
      UserData: { Inner: { '#attributes': { k: 'v' }, '#text': 'text' } },
    },
  });
  assert.match(rec.xml!, /<Data>a<\/Data>\n {4}<Data>\n {4}<\/Data>\n {4}<Data>c<\/Data>/);
  assert.match(rec.xml!, /<Id>10<\/Id>\n {4}<Id>20<\/Id>/);
  assert.match(rec.xml!, /<Inner k="v">text<\/Inner>/);
});

test('damaged BinXML fails its record with a reason, never the reader', () => {
  const cases: [string, (w: Writer) => void, RegExp][] = [
    ['unknown token', (w) => w.fragmentHeader().u8(0x42).eof(), /invalid BinXML token 0x42/],
    ['unbalanced', (w) => w.fragmentHeader().open('A').closeStart().eof(), /still open/],
    ['end without start', (w) => w.fragmentHeader().end().eof(), /end-element token/],
    ['text outside element', (w) => w.fragmentHeader().text('x').eof(), /outside of any element/],
    ['two roots', (w) => w.fragmentHeader().open('A').closeEmpty().open('B').closeEmpty().eof(), /more than one root/],
    ['no root', (w) => w.fragmentHeader().eof(), /no root element/],
    ['substitution outside template', (w) => w.fragmentHeader().open('A').closeStart().sub(0, T.STRING).end().eof(), /substitution outside/],
    ['name past the chunk', (w) => w.fragmentHeader().u8(0x01).u16(0).u32(0).u32(70000).closeEmpty().eof(), /name at offset 70000/],
    ['unknown value type', (w) => w.fragmentHeader().open('A').closeStart().u8(0x05).u8(0x7e).end().eof(), /unknown value type 0x7e/],
    [
      'substitution count past the chunk',
      (w) => w.fragmentHeader().u8(0x0c).u8(1).u32(1).u32(600).u32(0x3fffffff).eof(),
      /substitution descriptors/,
    ],
  ];
  for (const [name, body, reason] of cases) {
    const c = new ChunkBuilder();
    c.record(1, body);
    c.record(2, (w) => w.fragmentHeader().open('Ok').closeEmpty().eof());
    const r = readChunk(c.finish(), 0, 4096);
    const errors = r.issues.filter((i) => i.kind === 'record');
    assert.equal(errors.length, 1, name);
    assert.match(errors[0].reason, reason, name);
    assert.deepEqual(r.records.map((x) => x.recordId), [2], `${name}: the next record is still read`);
  }
});
