/** Facts about the machine that go into results.environment. */
import { readFileSync } from 'node:fs';
import { cpus, hostname, release, totalmem, type as osType } from 'node:os';
import type { Environment } from './schema.js';
import { MESHGATE_VERSION } from '../version.js';

export function localEnvironment(platform: string): Environment {
  const cpuList = cpus();
  return {
    platform,
    runner: process.env.RUNNER_NAME ?? hostname(),
    os: `${osType()} ${osRelease()}`.trim(),
    kernel: release(),
    cpuModel: cpuList[0]?.model?.trim() ?? 'unknown',
    cpuCount: cpuList.length,
    memoryMib: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    meshgate: MESHGATE_VERSION,
    git: { sha: process.env.GITHUB_SHA, ref: process.env.GITHUB_REF },
  };
}

function osRelease(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}
