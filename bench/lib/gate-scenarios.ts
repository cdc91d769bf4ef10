/**
 * The servers behind each `bench:gate` scenario and the profile keys that point at them: a pair
 * of built-in sample servers (base at D, head at ratio·D) judged by the head-vs-base p99 row, or
 * nginx measured directly and behind the nginx data plane, judged by the overhead p99 row.
 */
import { startSampleServer } from '../../src/sample-server/server.js';
import { startNginxApp } from './nginx-app.js';

export interface Scenario {
  label: string;
  /** Head delay ÷ base delay and the base delay; null for the proxy-overhead scenario. */
  ratio: number | null;
  delayMs: number | null;
  /** The verdict row this scenario is read from. */
  comparison: 'build' | 'overhead';
  /** Profile keys (workload, mesh, gate) merged into the bench profile. */
  doc: Record<string, unknown>;
  close(): Promise<void>;
}

export async function startPair(label: string, ratio: number, delayMs: number): Promise<Scenario> {
  const base = await startSampleServer({ port: 0, delayMs });
  const head = await startSampleServer({ port: 0, delayMs: delayMs * ratio });
  return {
    label,
    ratio,
    delayMs,
    comparison: 'build',
    doc: { workload: { builds: { base: { url: base.url }, head: { url: head.url } } } },
    close: async () => void (await Promise.all([base.close(), head.close()])),
  };
}

/** nginx as the app, measured directly and behind the nginx data plane (started by the pipeline). */
export async function startOverhead(label: string): Promise<Scenario> {
  const app = await startNginxApp(1);
  return {
    label,
    ratio: null,
    delayMs: null,
    comparison: 'overhead',
    doc: {
      workload: { url: app.url },
      mesh: ['none', 'nginx'],
      gate: { p99: { max_increase: '10%' }, overhead: { p99: { max_increase: '10%' } } },
    },
    close: () => app.stop(),
  };
}
