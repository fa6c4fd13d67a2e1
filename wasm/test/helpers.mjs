// Shared helpers of the Node tests: the full module, started synchronously from its bytes, and
// what cases.mjs shares.
import fs from 'node:fs';
import path from 'node:path';
import { DIST } from './cases.mjs';

export * from './cases.mjs';

export const takst = await import(path.join(DIST, 'takst.js'));
takst.initSync(fs.readFileSync(path.join(DIST, 'takst_wasm_bg.wasm')));
