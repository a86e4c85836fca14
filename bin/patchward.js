#!/usr/bin/env node
// Entry point of the `patchward` command; the TypeScript sources are compiled to dist/ by `npm run build`.
import { main } from '../dist/controller/cli/main.js';

await main();
