// Bundles every entry point with ncc into dist/<entry>/index.js (ESM), and marks dist as ESM.
// Each entry is self-contained: it runs with no node_modules next to it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const entries = {
  cli: 'src/cli/index.ts',
  main: 'src/action/main.ts',
  post: 'src/action/post.ts',
  loadgen: 'src/load/standalone.ts',
  'load-worker': 'src/load/worker.ts',
  'sample-server': 'src/sample-server/main.ts',
};
// Bundles that travel to cluster pods in one ConfigMap (1 MiB limit) are minified.
const minified = new Set(['loadgen', 'load-worker', 'sample-server']);
const only = process.argv.slice(2);
const ncc = join('node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
for (const [name, source] of Object.entries(entries)) {
  if (only.length > 0 && !only.includes(name)) continue;
  if (!existsSync(source)) {
    console.error(`skip ${name}: ${source} does not exist yet`);
    continue;
  }
  const out = join('dist', name);
  rmSync(out, { recursive: true, force: true });
  const flags = ['--target', 'es2022', '-q', ...(minified.has(name) ? ['-m'] : [])];
  execFileSync(process.execPath, [ncc, 'build', source, '-o', out, ...flags], {
    stdio: 'inherit',
  });
  // meshgate ships no assets: a relocated asset means ncc mistook a computed path for a file.
  const bundle = readFileSync(join(out, 'index.js'), 'utf8');
  if (bundle.includes('__nccwpck_require__.ab +'))
    throw new Error(`${out}/index.js refers to relocated assets (__nccwpck_require__.ab); compute that path in a function`);
  for (const file of readdirSync(out)) if (file.endsWith('.d.ts') || file === 'package.json') rmSync(join(out, file), { recursive: true });
}
mkdirSync('dist', { recursive: true });
writeFileSync(join('dist', 'package.json'), '{ "type": "module" }\n');
