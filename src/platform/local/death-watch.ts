/**
 * The processes a local run depends on — each build's application and each variant's proxies —
 * watched for the whole run. The first one to die ends the run: a trial in flight is abandoned at
 * once (its load aborted, nothing of it kept) and the run fails with exit 3 naming what died;
 * a death between trials fails the next trial before it starts.
 *
 * Why abandon rather than finish the trial: what the generator records after a death measures
 * nothing about the variant (connection errors, or a proxy's 502s that the gate would judge an
 * error-rate regression), and finishing cost up to a whole trial before meshgate could exit (a
 * kill -9 of nginx one tenth into a 1 s trial was answered 2.6 s later). Any death ends the run,
 * so the trial in flight is abandoned even when it loads another, healthy variant: the run could
 * not complete anyway, and the trials completed before it are kept (results/incomplete.ts).
 */
import { SetupError } from '../../errors.js';

/** A death's message; `inFlight` is the variant whose trial was abandoned, if one was running. */
export type DeathMessage = (inFlight: string | undefined) => string;

export class DeathWatch {
  private first?: DeathMessage;
  private closed = false;
  private readonly listeners = new Set<() => void>();

  /** Watch one process (or group): `death` resolves with its message when it dies. */
  watch(death: Promise<DeathMessage>): void {
    void death.then((message) => {
      // After close (cleanup stops everything on purpose) an exit is no death.
      if (this.closed || this.first) return;
      this.first = message;
      for (const listener of [...this.listeners]) listener();
    });
  }

  /** What died first (`inFlight`: the variant whose trial it abandoned); undefined while all live. */
  deathMessage(inFlight?: string): string | undefined {
    return this.first?.(inFlight);
  }

  /**
   * Run one trial's work with a signal that aborts when `signal` does or when a watched process
   * dies. A death turns the trial's failure into a SetupError naming what died and saying that
   * the trial in flight (`variantId`) was abandoned.
   */
  async during<T>(variantId: string, signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const before = this.deathMessage();
    if (before !== undefined) throw new SetupError(before);
    const trial = new AbortController();
    const onAbort = () => trial.abort(signal.reason);
    const onDeath = () => trial.abort(new SetupError(this.deathMessage(variantId)!));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    this.listeners.add(onDeath);
    try {
      return await work(trial.signal);
    } catch (error) {
      const death = this.deathMessage(variantId);
      if (death !== undefined && !signal.aborted) throw new SetupError(death);
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.listeners.delete(onDeath);
    }
  }

  /** Stop counting exits as deaths (cleanup is about to stop every process). */
  close(): void {
    this.closed = true;
    this.listeners.clear();
  }
}
