#!/usr/bin/env node
// The installed command: runs the compiled CLI (npm's `prepare` builds dist/ on install).
import { main } from '../dist/cli/main.js';
main(process.argv).then((code) => { process.exitCode = code; });
