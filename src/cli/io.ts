/** The process's standard streams, passed to main() so tests can capture them. */
export interface CliIo {
  /** Writes text to standard output as is (help, versions, plans, manifests). */
  readonly stdout: (text: string) => void;
  /** Writes text to standard error as is (usage errors, log lines). */
  readonly stderr: (text: string) => void;
  /** Whether standard error, where log lines go, is a terminal (picks the text log format). */
  readonly isTty: boolean;
}

/** The real standard streams of this process. */
export function systemIo(): CliIo {
  return {
    stdout: writerFor(Deno.stdout),
    stderr: writerFor(Deno.stderr),
    isTty: Deno.stderr.isTerminal(),
  };
}

function writerFor(file: { writeSync(bytes: Uint8Array): number }): (text: string) => void {
  const encoder = new TextEncoder();
  return (text) => {
    // writeSync may write only part of the buffer (pipes); keep going until all is out.
    let bytes = encoder.encode(text);
    while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
  };
}
