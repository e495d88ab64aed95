/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"): the wait is uniform in [0, min(cap, base·2^(n-1))], so
 * a hundred installs coming back online do not retry in lock step.
 * Pure: the random source is injected.
 */
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** Uniform in [0, 1), like Math.random. */
  random?: () => number;
}

export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/** The wait before the next try, after `attempts` failed tries (1 = the first failure). */
export function backoffDelay(attempts: number, options: BackoffOptions = {}): number {
  const { baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS, random = Math.random } = options;
  const exponent = Math.max(0, Math.min(attempts - 1, 40));
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  // A broken random source must not produce a negative or endless wait.
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}
