/**
 * Imported first by the executable (cli/index.ts), so that it runs before the rest of meshgate's
 * code is evaluated: a Ctrl-C while meshgate loads — nothing started yet, nothing to clean up —
 * exits 130, as every other interruption does, instead of ending the process by the signal.
 * main() takes over the signals as it starts (releaseEarlySignals).
 */
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const early = () => process.exit(130);
for (const signal of SIGNALS) process.on(signal, early);

export function releaseEarlySignals(): void {
  for (const signal of SIGNALS) process.off(signal, early);
}
