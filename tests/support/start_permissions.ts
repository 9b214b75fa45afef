/** The permissions of `deno task start`, read from deno.json so tests run with exactly those. */

const config = JSON.parse(
  await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
) as { tasks: Record<string, string> };

/** The `--allow-…` flags of the `start` task. */
export const START_PERMISSIONS: readonly string[] = config.tasks.start!.split(/\s+/)
  .filter((word) => word.startsWith("--allow-"));
