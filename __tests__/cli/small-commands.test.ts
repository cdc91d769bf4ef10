// The command line's small manners (issue #34): `meshgate help run` is run's help, an error names
// its command once, and a reader that goes away (`meshgate … | head`) ends nothing with a stack
// trace. Runs the CLI bundled once with esbuild (helpers/cli-bundle.ts), as real processes.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { bundleCli, runBounded, type BundledCli } from '../helpers/cli-bundle.js';

let cli: BundledCli;
beforeAll(async () => {
  // The cluster plan ships the load bundles to pods: they must exist beside the CLI.
  cli = await bundleCli(['loadgen', 'load-worker', 'sample-server']);
}, 60_000);
afterAll(async () => {
  await cli?.dispose();
});

describe('meshgate help COMMAND', () => {
  test('prints that command’s help, as COMMAND --help does', async () => {
    const help = await runBounded(cli.script, ['help', 'run']);
    const flag = await runBounded(cli.script, ['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^meshgate run PROFILE/);
    expect(help.stdout).toBe(flag.stdout);
  }, 30_000);

  test('an unknown command after help is an unknown command (exit 2)', async () => {
    const result = await runBounded(cli.script, ['help', 'rn']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "rn"; did you mean "run"/);
  }, 30_000);
});

test('an argument error names its command once: "meshgate run: …", never "meshgate: meshgate run: …"', async () => {
  const result = await runBounded(cli.script, ['run']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^meshgate run: expected 1 argument/);
  expect(result.stderr).not.toMatch(/meshgate: meshgate/);
}, 30_000);

test('a closed stdout (`meshgate … | head`) ends without a stack trace; a dry run deletes no cluster', async () => {
  // The reading end is closed before the CLI writes (it takes ~100 ms to start), so its writes
  // fail with EPIPE, as `| head` does to longer output after its first lines. A dry run writes its
  // plan and then goes on working, so the failed write's 'error' event arrives while it runs.
  const child = spawn(process.execPath, [cli.script, 'run', '--dry-run', 'profiles/kind-istio.yaml'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
  expect(code).toBe(0);
  // The plan lists `kind delete cluster` among its commands; nothing was created or deleted.
  expect(stderr).toMatch(/── create kind cluster/);
  expect(stderr).not.toMatch(/deleted kind cluster/);
}, 30_000);
