#!/usr/bin/env node
// Entry point of the `patchward` command; the TypeScript sources are compiled to dist/ by `npm run build`.
import { enableCompileCache } from 'node:module';

// V8 keeps the compiled code of our modules in the OS temp directory (Node's compile cache), so a
// command's start does not compile the same JavaScript again each time.
enableCompileCache();
const { main } = await import('../dist/controller/cli/main.js');

await main();
