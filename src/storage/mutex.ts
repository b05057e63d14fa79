// A FIFO async mutex. node:sqlite is synchronous and one connection has one transaction at a time, so
// the SQLite adapter lets exactly one transaction callback run at once; the others wait here in
// arrival order instead of failing with "cannot start a transaction within a transaction".

export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  /** Runs fn when every earlier caller has finished; fn's result or error is passed through. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    // The next caller waits for this one to settle, whatever the outcome.
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
