/** `loupe <args>` from the TypeScript sources, for tests and benches that need a real server process. */
import { main } from '../../src/cli/main.js';

main(['node', 'loupe', ...process.argv.slice(2)]).then((code) => {
  if (code) process.exitCode = code;
});
