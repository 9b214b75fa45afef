/**
 * The `deno run` flags of `deno task start` (permissions, V8 flags), read from deno.json so tests
 * and the soak run the operator exactly as a person does.
 */

const config = JSON.parse(
  await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
) as { tasks: Record<string, string> };

/** The flags of the `start` task between `run` and `main.ts`, `--frozen` left to the caller. */
export const START_FLAGS: readonly string[] = config.tasks.start!.split(/\s+/)
  .filter((word) => word.startsWith("--") && word !== "--frozen");
