#!/usr/bin/env node
/**
 * Stand-in of `perf stat` for the cluster's instruction counter (src/platform/cluster/cost/).
 * It holds the rules of real perf (6.1) that meshgate relies on, checked against this machine's
 * perf and perf-stat(1):
 * - options: `-e EVENT`, `-x SEP` / `-xSEP`, `-p PID[,PID…]`, `--` then a command; anything
 *   else is "Error: unknown option" and exit 129; `stat` without -p or a command would count
 *   system-wide until interrupted: refused here (meshgate never asks for it), exit 129.
 * - -p: every PID must be a number and an existing process, else "Problems finding threads of
 *   monitor" and exit 234, as real perf does for one missing PID among several.
 * - output on stderr, one line per event in `-x` CSV: value,unit,event,run time ns,percent,,
 *   `<not supported>` where no hardware counter exists (real perf here, and STANDIN_PERF_VPMU
 *   unset), a count where it does (STANDIN_PERF_VPMU=1).
 * - -p counts until SIGINT (then prints and ends by SIGINT, status 130) or until every PID has
 *   exited (prints, exit 0); with a command, until the command exits (with -p too: the PIDs
 *   are counted while the command runs).
 * - an unprivileged user may not attach to another user's process (perf_event_paranoid 2, no
 *   CAP_PERFMON): "Error:\nAccess to performance monitoring and observability operations is
 *   limited." and exit 255, as real perf here under `setpriv --reuid=65534` attaching to PID 1.
 * What it only models: the count. A vPMU counts instructions; this counts the nanoseconds the
 * PIDs' threads spent on a CPU (/proc/PID/task/TID/schedstat, summed), so busier processes count
 * more, an idle one little — the shape, not the instructions, of real counting. For a command,
 * its wall time in ns. STANDIN_PERF_LOG: a file each invocation's arguments are appended to.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (process.env.STANDIN_PERF_LOG) appendFileSync(process.env.STANDIN_PERF_LOG, JSON.stringify(args) + '\n');
const usage = '\n Usage: perf stat [<options>] [<command>]\n\n';
const die = (message, code) => {
  process.stderr.write(message + usage);
  process.exit(code);
};
if (args[0] === '--version') {
  process.stdout.write('perf version 6.1.stand-in\n');
  process.exit(0);
}
if (args[0] !== 'stat') die(`  Error: unknown command \`${args[0] ?? ''}'`, 1);

let event;
let sep = ' ';
let pids;
let command;
for (let i = 1; i < args.length; i++) {
  const a = args[i];
  if (a === '--') {
    command = args.slice(i + 1);
    break;
  } else if (a === '-e') event = args[++i];
  else if (a === '-x') sep = args[++i];
  else if (a.startsWith('-x') && a.length > 2) sep = a.slice(2);
  else if (a === '-p') pids = args[++i] ?? '';
  else if (a.startsWith('-')) die(`  Error: unknown option \`${a.replace(/^-+/, '')}'`, 129);
  else {
    command = args.slice(i);
    break;
  }
}
if (sep !== ',') die('  Error: the stand-in answers -x , only', 129);
if (!event) die('  Error: the stand-in needs -e EVENT', 129);
if (pids === undefined && !command?.length) die('  Error: system-wide counting is not stood in', 129);
const list = pids === undefined ? [] : pids.split(',');
if (list.some((p) => !/^[0-9]+$/.test(p) || !existsSync(`/proc/${p}`)))
  die('Problems finding threads of monitor', 234);

const owner = (pid) => Number(/^Uid:\s+\d+\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
const uid = process.getuid();
if (uid !== 0 && list.some((p) => owner(p) !== uid))
  die('Error:\nAccess to performance monitoring and observability operations is limited.', 255);

const vpmu = process.env.STANDIN_PERF_VPMU === '1';
const onCpuNs = () => {
  let sum = 0;
  for (const pid of list) {
    let tids = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids)
      try {
        sum += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // thread gone
      }
  }
  return sum;
};
const started = process.hrtime.bigint();
const before = onCpuNs();
// Threads that exit between the reads make the sum go down: never below zero.
const print = (count) => {
  const runNs = Number(process.hrtime.bigint() - started);
  const value = vpmu ? String(Math.max(0, Math.round(count))) : '<not supported>';
  process.stderr.write(`${value},,${event},${vpmu ? runNs : 0},100.00,,\n`);
};

if (command?.length) {
  const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit' });
  print(pids === undefined ? Number(process.hrtime.bigint() - started) : onCpuNs() - before);
  process.exit(result.status ?? 1);
}
const alive = () => list.some((p) => existsSync(`/proc/${p}`));
let last = before;
const poll = setInterval(() => {
  if (alive()) {
    last = onCpuNs();
    return;
  }
  print(last - before);
  process.exit(0);
}, 50);
process.on('SIGINT', () => {
  clearInterval(poll);
  print((alive() ? onCpuNs() : last) - before);
  process.removeAllListeners('SIGINT');
  process.kill(process.pid, 'SIGINT');
});
