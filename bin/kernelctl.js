#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (npm run setup does it).
require('../dist/src/cli/kernelctl.js').main();
