/**
 * Loads the operator's code the way `main.ts run` does (from the checkout given as the first
 * argument) and prints its RSS as JSON: the floor under every start and memory figure.
 */

const root = Deno.args[0] ?? new URL("../../", import.meta.url).pathname;
await import(`${root}/src/cli/quiet.ts`);
await import(`${root}/src/cli/main.ts`);
await import(`${root}/src/cli/run.ts`);
console.log(JSON.stringify({ loadedMs: performance.now(), rss: Deno.memoryUsage().rss }));
