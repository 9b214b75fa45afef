/** Ctrl-C (SIGINT) and SIGTERM as a stop request for the long-running `sim` and `demo`. */

const SIGNALS: readonly Deno.Signal[] = ["SIGINT", "SIGTERM"];

/** Calls `onStop` with the signal's name on SIGINT or SIGTERM; returns a function that stops listening. */
export function onStopSignals(onStop: (signal: Deno.Signal) => void): () => void {
  const listeners = SIGNALS.map((signal) => [signal, () => onStop(signal)] as const);
  const added: typeof listeners[number][] = [];
  for (const [signal, listener] of listeners) {
    try {
      Deno.addSignalListener(signal, listener);
      added.push([signal, listener]);
    } catch {
      // Windows knows only SIGINT (and SIGBREAK); the others simply cannot arrive there.
    }
  }
  return () => {
    for (const [signal, listener] of added) Deno.removeSignalListener(signal, listener);
  };
}
