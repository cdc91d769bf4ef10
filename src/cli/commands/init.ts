import { execFile } from 'node:child_process';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { promisify } from 'node:util';
import { UserError } from '../../errors.js';
import { discover } from '../../init/discover.js';
import {
  generateInitFiles,
  INIT_MESHES,
  INIT_MESH_NAMES,
  INIT_PLATFORMS,
  type InitAnswers,
  type InitMesh,
  type InitPlatform,
} from '../../init/generate.js';
import { MESHGATE_VERSION } from '../../version.js';
import { commonOptions, parse } from '../args.js';
import type { Command } from '../command.js';

const DEFAULT_START = 'bin/server --listen 127.0.0.1:{port}';

export const initCommand: Command = {
  name: 'init',
  summary: "write a workflow and a profile that gate this repository's PRs",
  usage: `meshgate init [--platform local|kind] [--mesh MESH] [--name NAME] [--dry-run] [--force]

Writes .github/workflows/meshgate.yml and .github/meshgate/NAME.yaml for the repository you are
in: the workflow builds the PR's merge base as "base" and the PR as "head", and meshgate measures
both in the same job; pushes to the default branch save the baseline. It finds the default branch
(git), a Dockerfile and its EXPOSE port, and the workflows already there. Lines that say FILL IN
are where your build goes. Asks for what the flags leave out when run in a terminal; otherwise
the defaults apply (local, none).

  --platform P      local (processes on the runner) or kind (a Kubernetes cluster in the job)
  --mesh M          ${INIT_MESH_NAMES.join(', ')}
${INIT_MESH_NAMES.map((m) => `                      ${m.padEnd(14)} ${INIT_MESHES[m].label}`).join('\n')}
  --name NAME       profile name, [a-z0-9-] (default: pr-p99, or pr-MESH with a mesh)
  --start CMD       local: how a build starts, inside its folder, split on spaces, no shell
                    (default: "${DEFAULT_START}")
  --ready-path P    local: the path that answers once the service is up (default: /)
  --port N          kind: the port the container listens on (default: the Dockerfile's EXPOSE, else 8080)
  --branch B        the default branch (default: from git, else main)
  --dry-run         print the files instead of writing them
  --force           overwrite files that exist (never done without it)`,
  async run(argv, io) {
    const { values } = parse(
      'init',
      argv,
      {
        ...commonOptions,
        platform: { type: 'string' },
        mesh: { type: 'string' },
        name: { type: 'string' },
        start: { type: 'string' },
        'ready-path': { type: 'string' },
        port: { type: 'string' },
        branch: { type: 'string' },
        'dry-run': { type: 'boolean' },
        force: { type: 'boolean' },
      },
      { min: 0, max: 0 },
    );
    if (values.help) {
      io.out(initCommand.usage);
      return 0;
    }
    const root = (await gitRoot(process.cwd())) ?? process.cwd();
    const discovered = await discover(root);
    if (values.branch !== undefined) discovered.defaultBranch = String(values.branch);

    const ask = process.stdin.isTTY && process.stderr.isTTY ? await prompter() : undefined;
    try {
      const platform =
        (values.platform as string | undefined) ??
        (await ask?.choose('Platform', INIT_PLATFORMS, 'local')) ??
        'local';
      const meshChoices = INIT_MESH_NAMES.filter((m) =>
        (INIT_MESHES[m].platforms as readonly string[]).includes(platform),
      );
      const mesh =
        (values.mesh as string | undefined) ?? (await ask?.choose('Mesh', meshChoices, 'none')) ?? 'none';
      const port = values.port !== undefined ? Number(values.port) : (discovered.exposedPort ?? 8080);
      if (values.port !== undefined && !/^\d+$/.test(String(values.port)))
        throw new UserError(`--port: expected a port 1..65535, got ${JSON.stringify(values.port)}`);
      const answers: InitAnswers = {
        platform: platform as InitPlatform,
        mesh: mesh as InitMesh,
        name: (values.name as string | undefined) ?? (mesh === 'none' ? 'pr-p99' : `pr-${mesh}`),
        start: String(values.start ?? DEFAULT_START)
          .split(/\s+/)
          .filter(Boolean),
        readyPath: String(values['ready-path'] ?? '/'),
        port,
      };
      const files = generateInitFiles(answers, discovered, MESHGATE_VERSION);

      if (values['dry-run']) {
        for (const file of files) io.out(`# --- ${file.path} ---\n${file.content}`);
        io.log.info('dry run: nothing written');
        return 0;
      }
      if (!values.force) {
        const existing = [];
        for (const file of files) if (await exists(join(root, file.path))) existing.push(file.path);
        if (existing.length > 0)
          throw new UserError(
            `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}: nothing written (--force overwrites, --dry-run shows the new files)`,
          );
      }
      for (const file of files) {
        await mkdir(dirname(join(root, file.path)), { recursive: true });
        await writeFile(join(root, file.path), file.content);
        io.out(`wrote ${file.path}`);
      }
      io.out(
        [
          '',
          'Next:',
          `  1. Fill in the lines marked FILL IN (your build) in both files.`,
          `  2. meshgate validate ${files[1].path}`,
          `  3. Commit both files and open a pull request; a push to ${discovered.defaultBranch} saves the first baseline.`,
        ].join('\n'),
      );
      return 0;
    } finally {
      ask?.close();
    }
  },
};

async function gitRoot(cwd: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--show-toplevel'], {
      cwd,
      timeout: 10_000,
    });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Questions on the terminal (stderr, so that --dry-run's stdout stays the files). */
async function prompter() {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // Lines are read through one iterator, which queues them: answers typed (or pasted) ahead of
  // their question are kept, where rl.question() would drop them.
  const lines = rl[Symbol.asyncIterator]();
  return {
    async choose(question: string, choices: readonly string[], fallback: string): Promise<string> {
      process.stderr.write(`${question} (${choices.join(', ')}) [${fallback}]: `);
      const next = await lines.next();
      const answer = next.done ? '' : String(next.value).trim();
      return answer === '' ? fallback : answer;
    },
    close: () => rl.close(),
  };
}
