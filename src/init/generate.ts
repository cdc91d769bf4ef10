/**
 * `meshgate init`'s files, as a pure function of the answers and of what was found in the
 * repository: a workflow (.github/workflows/meshgate.yml) and a profile
 * (.github/meshgate/<name>.yaml). The workflow is the canonical one of docs/pr-workflow.md: the
 * PR's merge base is built as `base`, the checked-out commit as `head`, both are measured in the
 * same job, and pushes to the default branch (an A/A run) save the baseline artifact PRs compare
 * with. Where only the user knows their build, the files say FILL IN.
 *
 * Every value that reaches the files is checked here against a narrow character set (names,
 * branches, paths): a repository's odd file name must not become YAML structure or shell syntax
 * in a generated `run:` step.
 */
import { UserError, quoteValue } from '../errors.js';

export const INIT_PLATFORMS = ['local', 'kind'] as const;
export type InitPlatform = (typeof INIT_PLATFORMS)[number];

/** The data planes init offers, and the platform each needs. */
export const INIT_MESHES = {
  none: { platforms: ['local', 'kind'], label: 'no mesh: the application alone' },
  nginx: { platforms: ['local'], label: 'nginx in front of the application, as a sidecar, on the runner' },
  haproxy: {
    platforms: ['local'],
    label: 'HAProxy in front of the application, as a sidecar, on the runner',
  },
  istio: { platforms: ['kind'], label: 'Istio sidecars (mTLS) in a kind cluster' },
  'istio-ambient': { platforms: ['kind'], label: 'Istio ambient mode (ztunnel, mTLS) in a kind cluster' },
  linkerd: { platforms: ['kind'], label: 'Linkerd sidecars (mTLS) in a kind cluster' },
} as const satisfies Record<string, { platforms: readonly InitPlatform[]; label: string }>;
export type InitMesh = keyof typeof INIT_MESHES;
export const INIT_MESH_NAMES = Object.keys(INIT_MESHES) as InitMesh[];

export interface InitAnswers {
  platform: InitPlatform;
  mesh: InitMesh;
  /** Profile name: [a-z0-9-]+; the profile is .github/meshgate/<name>.yaml. */
  name: string;
  /** local: how a build starts, relative to its folder (base/ or head/); {port} is meshgate's. */
  start: string[];
  /** local: the path that answers when the service is ready. */
  readyPath: string;
  /** kind: the port the container listens on. */
  port: number;
}

export interface Discovered {
  /** The branch whose pushes save the baseline and that PRs are compared with. */
  defaultBranch: string;
  /** A Dockerfile, relative to the repository root (the shallowest found). */
  dockerfile?: string;
  /** A port from the Dockerfile's EXPOSE. */
  exposedPort?: number;
  /** Workflow files already in .github/workflows. */
  workflows: string[];
}

export interface GeneratedFile {
  path: string;
  content: string;
}

/** The major release the workflow's `uses:` follows. */
function actionRef(version: string): string {
  return `meshgate/meshgate@v${version.split('.')[0]}`;
}

const SAFE_PATH = /^[A-Za-z0-9._][A-Za-z0-9._/-]*$/;
const SAFE_BRANCH = /^[A-Za-z0-9._][A-Za-z0-9._/-]*$/;
const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Checks the answers; a bad one is exit 2 naming the flag and the value. */
export function checkAnswers(answers: InitAnswers, discovered: Discovered): void {
  if (!INIT_PLATFORMS.includes(answers.platform))
    throw new UserError(
      `--platform: expected ${INIT_PLATFORMS.join(' or ')}, got ${quoteValue(answers.platform)}`,
    );
  const mesh = INIT_MESHES[answers.mesh as InitMesh] as (typeof INIT_MESHES)[InitMesh] | undefined;
  if (!mesh)
    throw new UserError(
      `--mesh: expected one of ${INIT_MESH_NAMES.join(', ')}, got ${quoteValue(answers.mesh)}`,
    );
  if (!(mesh.platforms as readonly string[]).includes(answers.platform))
    throw new UserError(
      `--mesh ${answers.mesh} runs on platform ${mesh.platforms.join(' or ')}, not ${answers.platform} (give --platform ${mesh.platforms[0]})`,
    );
  if (!NAME.test(answers.name) || answers.name.length > 40)
    throw new UserError(
      `--name: expected lowercase letters, digits and dashes (at most 40), got ${quoteValue(answers.name)}`,
    );
  if (answers.start.length === 0 || !SAFE_PATH.test(answers.start[0]) || answers.start[0].startsWith('..'))
    throw new UserError(
      `--start: expected the build's executable as a path inside its folder, then its arguments (like "bin/server --listen 127.0.0.1:{port}"), got ${quoteValue(answers.start.join(' '))}`,
    );
  if (!answers.start.some((arg) => arg.includes('{port}')))
    throw new UserError(
      `--start: no argument holds {port}, where meshgate puts the port the build must listen on; got ${quoteValue(answers.start.join(' '))}`,
    );
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(answers.readyPath))
    throw new UserError(
      `--ready-path: expected a path starting with /, got ${quoteValue(answers.readyPath)}`,
    );
  if (!Number.isInteger(answers.port) || answers.port < 1 || answers.port > 65535)
    throw new UserError(`--port: expected a port 1..65535, got ${quoteValue(answers.port)}`);
  if (!SAFE_BRANCH.test(discovered.defaultBranch) || discovered.defaultBranch.includes('..'))
    throw new UserError(
      `--branch: expected a branch name (letters, digits, . _ / -), got ${quoteValue(discovered.defaultBranch)}`,
    );
}

/** A Dockerfile path that is safe to write into a shell step, or undefined. */
export function safeDockerfile(path: string | undefined): string | undefined {
  return path !== undefined && SAFE_PATH.test(path) && !path.split('/').includes('..') ? path : undefined;
}

/** A YAML flow sequence of strings (JSON strings are YAML scalars). */
const flow = (items: string[]) =>
  `[${items.map((item) => (/^[A-Za-z0-9._/-]+$/.test(item) && !/^[0-9.]+$/.test(item) ? item : JSON.stringify(item))).join(', ')}]`;

function meshLines(mesh: InitMesh): string {
  switch (mesh) {
    case 'none':
      return 'mesh: [none]';
    case 'nginx':
    case 'haproxy':
      return `mesh:\n  - none\n  - { name: ${mesh}, concurrency: 1, access_log: false }`;
    case 'istio':
      return 'mesh: [none, { name: istio, mtls: true }]';
    case 'istio-ambient':
      return 'mesh: [none, { name: istio, mode: ambient, mtls: true }]';
    case 'linkerd':
      return 'mesh: [none, { name: linkerd, mtls: true }]';
  }
}

export function profileFile(answers: InitAnswers, discovered: Discovered): GeneratedFile {
  const withMesh = answers.mesh !== 'none';
  const lines: string[] = [
    `# Written by \`meshgate init\`. The PR's merge base (base) and the PR's build (head) run side by`,
    `# side in the same job, in interleaved trials; the PR fails when its p99 is materially and`,
    `# significantly slower. Check it with: meshgate validate .github/meshgate/${answers.name}.yaml`,
    `name: ${answers.name}`,
    `description: ${JSON.stringify(`Base vs head build${withMesh ? `, without a mesh and with ${answers.mesh}` : ''}, p99 gate`)}`,
    `platform: ${answers.platform}`,
    'workload:',
    '  builds:',
  ];
  if (answers.platform === 'local') {
    lines.push(
      '    # FILL IN: how your service starts. The workflow builds the merge base into ./base and the',
      '    # PR into ./head; {port} is a free port meshgate chooses. Arguments are not passed to a shell.',
    );
    for (const build of ['base', 'head'])
      lines.push(
        `    ${build}:`,
        `      command: ${flow([`./${build}/${answers.start[0]}`, ...answers.start.slice(1)])}`,
        `      ready_path: ${answers.readyPath}`,
      );
  } else {
    lines.push(
      `    # The workflow builds these images (docker build) and meshgate loads them into kind; one`,
      `    # Deployment and Service each, the container listening on port ${answers.port}.`,
      `    # FILL IN: the port${discovered.exposedPort === answers.port ? ` (${answers.port} is the Dockerfile's EXPOSE)` : ''}, or add manifests: [deploy/app.yaml] with image: "{image}" (meshgate's docs/kubernetes.md).`,
      `    base: { image: ${JSON.stringify(`${answers.name}:base`)}, port: ${answers.port} }`,
      `    head: { image: ${JSON.stringify(`${answers.name}:head`)}, port: ${answers.port} }`,
    );
  }
  lines.push(meshLines(answers.mesh));
  if (answers.platform === 'local')
    lines.push(
      'load: { rps: 500, connections: 16, duration: 8s, warmup: 2s }',
      'trials: 6',
      'max_trials: 10',
    );
  else
    lines.push(
      'load: { rps: 200, connections: 8, duration: 10s, warmup: 3s, generators: 2 }',
      'trials: 4',
      'max_trials: 8',
    );
  lines.push(
    'gate:',
    `  p99: { max_increase: 10%, min_delta: ${answers.platform === 'local' ? '0.5ms' : '1ms'} }`,
  );
  if (withMesh)
    lines.push('  overhead:', '    p99: { max_increase: 100%, min_delta: 1ms }   # the mesh over no mesh');
  lines.push('  error_rate: { max: 0.1% }');
  return { path: `.github/meshgate/${answers.name}.yaml`, content: `${lines.join('\n')}\n` };
}

export function workflowFile(answers: InitAnswers, discovered: Discovered, version: string): GeneratedFile {
  const branch = discovered.defaultBranch;
  const others = discovered.workflows.filter((w) => w !== 'meshgate.yml');
  const dockerfile = safeDockerfile(discovered.dockerfile);
  const build: string[] = [
    '          base_sha=$(git merge-base "origin/$BASE_REF" HEAD)',
    '          git worktree add ../meshgate-base "$base_sha"',
  ];
  if (answers.platform === 'local') {
    build.push(
      `          # FILL IN: build ../meshgate-base (the merge base) into ./base and this commit into ./head,`,
      `          # so that ./base/${answers.start[0]} and ./head/${answers.start[0]} start your service.`,
      ...(others.length > 0
        ? [`          # Your other workflows (${others.join(', ')}) may show how it builds.`]
        : []),
      ...(dockerfile
        ? [`          # (${dockerfile} was found: with a container build, --platform kind runs the image.)`]
        : []),
      `          make -C ../meshgate-base build && mkdir -p base && cp -r ../meshgate-base/${topDir(answers.start[0])} base/`,
      `          make build && mkdir -p head && cp -r ${topDir(answers.start[0])} head/`,
    );
  } else {
    const context = dockerfile ? dirOf(dockerfile) : '.';
    const file = dockerfile ?? 'Dockerfile';
    build.push(
      dockerfile
        ? `          # Built from ${dockerfile} (found in the repository). FILL IN build arguments if it needs any.`
        : discovered.dockerfile
          ? '          # FILL IN: the Dockerfile found has a path with characters not written into a shell step; build here.'
          : '          # FILL IN: no Dockerfile was found; build your image here as <name>:base and <name>:head.',
      `          docker build -t ${answers.name}:base -f ../meshgate-base/${file} ../meshgate-base/${context === '.' ? '' : context}`.replace(
        /\/$/,
        '',
      ),
      `          docker build -t ${answers.name}:head -f ${file} ${context}`,
    );
  }
  const lines = [
    `# Written by \`meshgate init\` (meshgate ${version}). Gates pull requests on the performance of`,
    `# .github/meshgate/${answers.name}.yaml: the PR's merge base is built as base, the PR as head, both`,
    `# measured in this job. Pushes to ${branch} (base and head then the same commit) save the baseline`,
    '# artifact that PRs also compare with. Forks get a read-only token: their run writes the job',
    '# summary; see docs/workflows/meshgate-comment.yml in meshgate to comment on their PRs too.',
    'name: meshgate',
    '',
    'on:',
    '  pull_request:',
    '  push:',
    `    branches: [${JSON.stringify(branch)}]`,
    '',
    'permissions:',
    '  contents: read',
    '',
    "# A newer push cancels the PR's older run. Each push run has a group of its own: GitHub cancels a",
    '# pending run when another joins its group, and a cancelled push run would save no baseline.',
    'concurrency:',
    "  group: meshgate-${{ github.event_name == 'pull_request' && format('pr-{0}', github.event.pull_request.number) || format('run-{0}', github.run_id) }}",
    "  cancel-in-progress: ${{ github.event_name == 'pull_request' }}",
    '',
    'jobs:',
    '  performance:',
    '    runs-on: ubuntu-latest',
    `    timeout-minutes: ${answers.platform === 'local' ? 30 : 45}`,
    '    permissions:',
    '      contents: read',
    "      actions: read # find the baseline artifact of the default branch's runs",
    '      pull-requests: write # the sticky comment',
    '    steps:',
    '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    '        with:',
    '          fetch-depth: 0 # the merge base must be in the clone',
    '          persist-credentials: false',
    '      - name: Build the merge base (base) and this commit (head)',
    '        env:',
    `          BASE_REF: \${{ github.base_ref || '${branch}' }}`,
    '        run: |',
    ...build,
    `      - uses: ${actionRef(version)} # pin the full commit SHA of the release you use`,
    '        id: meshgate',
    '        with:',
    `          profile: .github/meshgate/${answers.name}.yaml`,
    '      - name: The verdict',
    '        env:',
    '          VERDICT: ${{ steps.meshgate.outputs.verdict }}',
    '          P99_MS: ${{ steps.meshgate.outputs.p99-ms }}',
    '        run: echo "verdict $VERDICT, p99 $P99_MS ms"',
  ];
  return { path: '.github/workflows/meshgate.yml', content: `${lines.join('\n')}\n` };
}

/** The first path segment (what a build copies into base/ and head/). */
function topDir(path: string): string {
  return path.replace(/^\.\//, '').split('/')[0];
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}

/** Both files; throws UserError (exit 2) for bad answers. */
export function generateInitFiles(
  answers: InitAnswers,
  discovered: Discovered,
  version: string,
): GeneratedFile[] {
  checkAnswers(answers, discovered);
  return [workflowFile(answers, discovered, version), profileFile(answers, discovered)];
}
