#!/usr/bin/env node
// npm run bench -- NAME [args…]: runs bench/NAME/bench.mjs against the compiled
// library in dist/ (built by `npm install` / `npm run build`). The bench's last
// stdout line is one JSON object: {bench, metric, value, unit, peer, peer_value, ratio}.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...rest] = process.argv.slice(2);
const names = readdirSync(here, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'bench.mjs'))).map((d) => d.name);
if (name === undefined || !names.includes(name)) {
  console.error(`bench: ${name === undefined ? 'no benchmark named' : `unknown benchmark "${name}"`}; choose one of: ${names.join(', ')}`);
  process.exit(2);
}
if (!existsSync(join(here, '..', 'dist', 'index.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const r = spawnSync(process.execPath, [join(here, name, 'bench.mjs'), ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
