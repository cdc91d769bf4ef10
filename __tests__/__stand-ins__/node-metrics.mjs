// What the stand-in's nodes report about their containers' CPU and memory, from one model:
// every container series of the fixtures (cadvisor-1/-2.txt, cadvisor-control-plane-1/-2.txt) is a
// container whose CPU counter grows at the rate the two fixtures imply (difference over their
// timestamps), from the moment the stand-in "cluster" booted (state boot.json).
//
// Two ways to read it, as on a real cluster:
// - The kubelet's /metrics/cadvisor serves cAdvisor's cache (kubelet cadvisor_linux.go:
//   housekeeping every 10 s, jittered up to 15 s; server.go reads it with Count: 1, no refresh).
//   A scrape answers the counters as of the last housekeeping tick, stamped with that tick's time.
//   STANDIN_HOUSEKEEPING_MS replaces the 10–15 s intervals (a test of a fresh cache).
// - On kind the nodes are Docker containers; inside them each pod container's cgroup (v2, kind's
//   kubelet runs with cgroupDriver systemd and cgroupRoot /kubelet) is
//   /sys/fs/cgroup/kubelet.slice/kubelet-kubepods.slice/…/cri-containerd-<id>.scope, with
//   cpu.stat (usage_usec …) and memory.current read live, and /proc/uptime (the host's) as clock.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}\s+(\S+)\s+(\d+)\s*$/;
const label = (labels, name) => new RegExp(`(?:^|,)${name}="((?:[^"\\\\]|\\\\.)*)"`).exec(labels)?.[1];

/** Series of both fixture pairs: id → { namespace, pod, container, cpu0, rate (cores), memory }. */
export function containerModel(fixtures) {
  const read = (name) => (existsSync(join(fixtures, name)) ? readFileSync(join(fixtures, name), 'utf8') : '');
  const series = new Map();
  for (const [first, second] of [['cadvisor-1.txt', 'cadvisor-2.txt'], ['cadvisor-control-plane-1.txt', 'cadvisor-control-plane-2.txt']]) {
    const at = (text) => {
      const values = new Map();
      for (const line of text.split('\n')) {
        const match = LINE.exec(line.trim());
        if (match) values.set(`${match[1]}|${label(match[2], 'id')}`, { labels: match[2], value: Number(match[3]), ts: Number(match[4]) });
      }
      return values;
    };
    const a = at(read(first));
    const b = at(read(second));
    for (const [key, sample] of a) {
      const [metric, id] = key.split('|');
      if (!id) continue;
      const entry = series.get(id) ?? {
        id,
        namespace: label(sample.labels, 'namespace'),
        pod: label(sample.labels, 'pod'),
        container: label(sample.labels, 'container'),
        cpu0: 0,
        rate: 0,
        memory: 0,
      };
      const later = b.get(key);
      if (metric === 'container_cpu_usage_seconds_total') {
        entry.cpu0 = sample.value;
        entry.rate = later && later.ts > sample.ts ? Math.max(0, (later.value - sample.value) / ((later.ts - sample.ts) / 1000)) : 0;
      }
      if (metric === 'container_memory_working_set_bytes') entry.memory = later?.value ?? sample.value;
      series.set(id, entry);
    }
  }
  return series;
}

/** When the stand-in cluster booted (its counters start then). */
export function bootMs(state) {
  const file = join(state, 'boot.json');
  if (!existsSync(file)) writeFileSync(file, JSON.stringify({ bootMs: Date.now() }));
  return JSON.parse(readFileSync(file, 'utf8')).bootMs;
}

/** The last housekeeping tick at or before `now`: 10 s, then 10–15 s apart (deterministic jitter). */
export function lastHousekeeping(boot, now) {
  const fixed = Number(process.env.STANDIN_HOUSEKEEPING_MS ?? 0);
  if (fixed > 0) return boot + Math.floor((now - boot) / fixed) * fixed;
  let tick = boot;
  for (let k = 1; ; k++) {
    const next = tick + 10_000 + ((k * 2_347) % 5_000);
    if (next > now) return tick;
    tick = next;
  }
}

const cpuAt = (entry, boot, at) => entry.cpu0 + (entry.rate * Math.max(0, at - boot)) / 1000;

/** The fixture text as the kubelet serves it at `now`: every sample as of the last housekeeping tick. */
export function cachedCadvisor(text, series, boot, now) {
  const tick = lastHousekeeping(boot, now);
  return text
    .split('\n')
    .map((line) => {
      const match = LINE.exec(line.trim());
      if (!match) return line;
      const entry = series.get(label(match[2], 'id'));
      let value = match[3];
      if (entry && match[1] === 'container_cpu_usage_seconds_total') value = String(cpuAt(entry, boot, tick));
      if (entry && match[1] === 'container_memory_working_set_bytes') value = String(entry.memory);
      return `${match[1]}{${match[2]}} ${value} ${tick}`;
    })
    .join('\n');
}

/** `kubectl get pods -o json`'s uid and containerStatuses of a fixture pod (containerd ids from the cgroup paths). */
export function podStatus(series, pod) {
  const containers = [...series.values()].filter((entry) => entry.pod === pod && entry.container);
  const podSlice = containers[0] && /-pod([0-9a-f_]+)\.slice/.exec(containers[0].id)?.[1];
  return {
    uid: podSlice ? podSlice.replaceAll('_', '-') : undefined,
    containerStatuses: containers.map((entry) => ({
      name: entry.container,
      ready: true,
      containerID: `containerd://${/cri-containerd-([0-9a-f]+)\.scope$/.exec(entry.id)?.[1]}`,
    })),
  };
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** `find /sys/fs/cgroup/kubelet.slice … -name cri-containerd-<id>.scope [-o …]` inside a node. */
export function findScopes(series, names) {
  return [...series.values()]
    .filter((entry) => names.includes(entry.id.split('/').pop()))
    .map((entry) => `${CGROUP_ROOT}${entry.id}`);
}

/** `grep -H ^ FILE…` inside a node: each line of each file, prefixed by the file's name. */
export function grepFiles(series, boot, files, now = Date.now()) {
  const lines = [];
  let missing;
  for (const file of files) {
    if (file === '/proc/uptime') {
      lines.push(`${file}:${((now - boot) / 1000 + 1000).toFixed(2)} 1.00`);
      continue;
    }
    const dir = file.slice(0, file.lastIndexOf('/'));
    const entry = [...series.values()].find((e) => `${CGROUP_ROOT}${e.id}` === dir);
    const base = file.slice(dir.length + 1);
    if (!entry || !['cpu.stat', 'memory.current'].includes(base)) {
      missing = file;
      continue;
    }
    if (base === 'cpu.stat') {
      const usec = Math.round(cpuAt(entry, boot, now) * 1e6);
      lines.push(`${file}:usage_usec ${usec}`, `${file}:user_usec ${Math.round(usec * 0.7)}`, `${file}:system_usec ${usec - Math.round(usec * 0.7)}`);
    } else lines.push(`${file}:${Math.round(entry.memory)}`);
  }
  return { text: lines.join('\n'), missing };
}
