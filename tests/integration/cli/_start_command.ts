/**
 * The operator as `deno task start` runs it: `deno run <the task's permissions> main.ts <args>`, so
 * the tests prove those permissions suffice. Output is piped; `logLines` reads JSON log lines.
 */
import { START_FLAGS } from "../../support/start_flags.ts";

const MAIN = new URL("../../../main.ts", import.meta.url).pathname;

/** `main.ts <args>` as a command; `env` adds to the child's environment. */
export function startCommand(args: string[], env: Record<string, string> = {}): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--frozen", ...START_FLAGS, MAIN, ...args],
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** The JSON log lines in `text` (other lines skipped). */
export function logLines(text: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      lines.push(JSON.parse(line));
    } catch {
      // a line cut short by a kill
    }
  }
  return lines;
}

/** A child's output read as it arrives, so a test can wait for a line while it runs. */
export interface RunningChild extends AsyncDisposable {
  readonly child: Deno.ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the exit status once the child ended and its output was read. */
  readonly status: Promise<Deno.CommandStatus>;
}

/** Spawns `command`, collecting stderr (and discarding stdout); dispose kills it if still running. */
export function spawn(command: Deno.Command): RunningChild {
  const child = command.spawn();
  let text = "";
  const decoder = new TextDecoder();
  const reading = (async () => {
    for await (const chunk of child.stderr) text += decoder.decode(chunk, { stream: true });
  })();
  const draining = child.stdout.pipeTo(new WritableStream());
  const status = Promise.all([child.status, reading, draining]).then(([s]) => s);
  return {
    child,
    stderr: () => text,
    status,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await status;
    },
  };
}
