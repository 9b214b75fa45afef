/**
 * Status writes, one at a time per object and always of the newest state: a write asked for while
 * another is in flight is coalesced into one more write after it, so an older status never lands
 * after a newer one. `flush` waits for every write asked for so far (for --once and shutdown).
 */

export interface StatusPublisher {
  /** Asks for the status of `name` to be (re)written; `write` computes it at write time. */
  publish(name: string): void;
  /** Resolves when no write is pending or running. */
  flush(): Promise<void>;
}

/** Creates a publisher around `write(name)`, which builds and patches the status of one object. */
export function createStatusPublisher(write: (name: string) => Promise<void>): StatusPublisher {
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  function start(name: string): void {
    const done = write(name).catch(() => {/* write() reports its own failures */}).finally(() => {
      running.delete(name);
      if (again.delete(name)) start(name);
    });
    running.set(name, done);
  }

  return {
    publish(name) {
      if (running.has(name)) again.add(name);
      else start(name);
    },
    async flush() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
