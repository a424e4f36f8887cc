/**
 * Waiting for a condition on recorded observations (stream messages, hints, driver
 * messages, fake-server requests) without polling: the recorder calls `notify()`
 * after each observation and every pending `waitFor` re-checks its condition.
 */
export class ConditionWaiters {
  readonly #checks = new Set<() => void>();

  /**
   * Resolves true once `condition()` holds (checked now and after every `notify()`),
   * or with a last check of it after `timeoutMs`; false when `signal` aborts first.
   */
  waitFor(condition: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (value: boolean): void => {
        clearTimeout(timer);
        this.#checks.delete(check);
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      };
      const check = (): void => {
        if (condition()) finish(true);
      };
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(condition()), timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#checks.add(check);
    });
  }

  /** Re-checks every pending condition (call after each new observation). */
  notify(): void {
    for (const check of [...this.#checks]) check();
  }
}
