#!/usr/bin/env node
// The CLI runs from the build: `npm run build` (done by `npm start` and `npm ci` users alike).
require('../dist/src/cli/main.js').run();
