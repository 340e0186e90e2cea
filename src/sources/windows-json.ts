/**
 * Windows events as JSON: the evtx crate's rendering (`Event.System` / `Event.EventData`), NXLog
 * (flat, as in the Mordor recordings) and Winlogbeat (6.x and 7+/ECS). One module, three readers:
 * each claims the inputs whose first value is in its shape, and every record is read in the shape
 * it is actually in (collectors mix them).
 */
import type { Event } from '../normalize/event.js';
import { normalizeWindows, ShipperClock, toWindowsRecord, type WindowsJsonShape, windowsJsonShape } from '../normalize/windows.js';
import { boundStrings } from './limits.js';
import { firstJsonValue, jsonValues, parseValue } from './json/values.js';
import type { Input, ReadContext, Reader } from './types.js';

const DESCRIPTIONS: Record<WindowsJsonShape, string> = {
  'evtx-json': 'Windows events rendered as JSON by the evtx crate (Event.System / Event.EventData)',
  'nxlog-json': 'Windows events as NXLog JSON lines (EventID, Channel, Hostname, flat EventData)',
  'winlogbeat-json': 'Windows events as Winlogbeat JSON (winlog.event_data, or event_data in 6.x)',
};

function makeReader(shape: WindowsJsonShape): Reader {
  return {
    format: shape,
    description: DESCRIPTIONS[shape],
    sniff(input: Input): number {
      const first = firstJsonValue(input.head);
      if (first !== undefined) return windowsJsonShape(first) === shape ? 0.9 : 0;
      // A first value too large for the head: look for the shape's marks in the text.
      const text = input.head.toString('utf8', 0, Math.min(input.head.length, 8192));
      if (shape === 'evtx-json' && /^\s*\{\s*"Event"\s*:\s*\{/.test(text) && text.includes('"System"')) return 0.6;
      return 0;
    },
    read(input: Input, ctx: ReadContext): AsyncIterable<Event[]> {
      return readWindowsJson(input, ctx, shape);
    },
  };
}

const PRESCAN_BYTES = 8 * 1024 * 1024;

/**
 * Shipper clocks are learnt from Sysmon records (see ShipperClock); the first records of a file
 * are often Security ones, so the start of the file is looked at first.
 */
async function prescanClock(input: Input, clock: ShipperClock, shape: WindowsJsonShape): Promise<void> {
  const stream = input.open();
  let seen = 0;
  try {
    for await (const values of jsonValues(stream, { onError: () => {} })) {
      for (const v of values) {
        seen += v.text.length;
        if (!v.text.includes('UtcTime') || !/sysmon/i.test(v.text)) continue;
        try {
          toWindowsRecord(JSON.parse(v.text), shape, clock);
        } catch {
          /* the real pass reports it */
        }
      }
      if (seen > PRESCAN_BYTES) break;
    }
  } finally {
    stream.destroy();
  }
}

async function* readWindowsJson(input: Input, ctx: ReadContext, fallback: WindowsJsonShape): AsyncGenerator<Event[]> {
  let record = 0;
  const onError = ctx.error.bind(ctx);
  const clock = fallback === 'evtx-json' ? undefined : new ShipperClock();
  if (clock) await prescanClock(input, clock, fallback);
  for await (const values of jsonValues(input.open(), { onError, onBytes: ctx.progress })) {
    const out: Event[] = [];
    for (const v of values) {
      record++;
      const obj = parseValue(v, onError);
      if (obj === undefined) continue;
      const shape = windowsJsonShape(obj) ?? fallback;
      const rec = toWindowsRecord(obj, shape, clock, true);
      if (!rec) {
        ctx.error({ line: v.line, record }, 'not a Windows event record (no event id)');
        continue;
      }
      if (!Number.isFinite(rec.system.time)) {
        ctx.error({ line: v.line, record }, 'record has no readable time');
        continue;
      }
      boundStrings(rec.data, (field, size) =>
        ctx.error({ line: v.line, record }, `field ${field} is ${size} characters; kept the first ${boundStrings.MAX}`),
      );
      out.push(normalizeWindows(rec, { file: input.name, format: shape, record, line: v.line }));
    }
    if (out.length) yield out;
  }
  for (const c of clock?.corrections() ?? []) ctx.fact?.('clock', c);
}

export const evtxJsonReader = makeReader('evtx-json');
export const nxlogJsonReader = makeReader('nxlog-json');
export const winlogbeatJsonReader = makeReader('winlogbeat-json');
