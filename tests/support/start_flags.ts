/**
 * How `deno task start` runs the operator, read from deno.json, so tests, the soak and the benchmark
 * run it exactly as a person does (permissions, V8 flags), whatever the task says today.
 */

/** This checkout; the benchmark's `--root` may point at another one (to compare two versions). */
const THIS_ROOT = new URL("../../", import.meta.url).pathname;

/** The `start` task: its environment and `deno run` flags. */
export interface StartCommand {
  /** The checkout: its main.ts is run, from that directory. */
  root: string;
  env: Record<string, string>;
  denoFlags: string[];
}

/** Reads the `start` task of `root`'s deno.json; throws when it is not `deno run … main.ts`. */
export function readStartCommand(root = THIS_ROOT): StartCommand {
  const config = JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)) as {
    tasks?: Record<string, string>;
  };
  const task = config.tasks?.start;
  const words = task?.split(/\s+/).filter((word) => word !== "") ?? [];
  const run = words.indexOf("run");
  const main = words.indexOf("main.ts");
  if (run < 1 || words[run - 1] !== "deno" || main < run) {
    throw new Error(
      `Cannot read the start task of deno.json: expected "deno run … main.ts", got ${
        JSON.stringify(task)
      }`,
    );
  }
  const env: Record<string, string> = {};
  for (const word of words.slice(0, run - 1)) {
    const [name, ...value] = word.split("=");
    if (name && value.length > 0) env[name] = value.join("=");
  }
  return { root, env, denoFlags: words.slice(run + 1, main) };
}

/** The flags of this checkout's `start` task between `run` and `main.ts`, `--frozen` left out. */
export const START_FLAGS: readonly string[] = readStartCommand().denoFlags
  .filter((flag) => flag !== "--frozen");
