/**
 * Progress bars on stderr, one per input, only when stderr is a terminal (never in pipes, CI or
 * `--json` runs, whose output must stay clean).
 */
import cliProgress from 'cli-progress';
import type { FileSummary, Progress } from '../pipeline/analyze.js';

export function terminalProgress(enabled: boolean): Progress | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  let bar: cliProgress.SingleBar | undefined;
  let done = 0;
  return {
    fileStart(name, size) {
      done = 0;
      const short = name.length > 60 ? `…${name.slice(-59)}` : name;
      bar = new cliProgress.SingleBar(
        { format: `{bar} {percentage}% | {mb} MB | ${short.replace(/[{}]/g, '')}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(size && size > 0 ? size : 1, 0, { mb: '0.0' });
    },
    bytes(n) {
      done += n;
      bar?.update(done, { mb: (done / 1e6).toFixed(1) });
    },
    fileEnd(_s: FileSummary) {
      bar?.stop();
      bar = undefined;
    },
  };
}
