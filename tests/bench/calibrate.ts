/** Measurements of the runtime itself that the ideals are built from. */

import { createSign, generateKeyPairSync } from "node:crypto";
import type { StartCommand } from "../support/start_flags.ts";
import { median, mib } from "./stats.ts";

/** Median time of one RSA-SHA256 signature with a 2048-bit key (what OCI request signing costs). */
export function rsaSignMs(): number {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const data = "x".repeat(300);
  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    const start = performance.now();
    createSign("RSA-SHA256").update(data).sign(privateKey);
    times.push(performance.now() - start);
  }
  return Math.round(median(times.slice(10)) * 100) / 100;
}

/**
 * Spawns `import_probe.ts` with the start task's flags a few times: wall time from spawn until the
 * operator's code is loaded (median) and the RSS it then has (median).
 */
export async function importFloor(
  start: StartCommand,
  runs: number,
): Promise<{ ms: number; rssMiB: number }> {
  const probe = new URL("./import_probe.ts", import.meta.url).pathname;
  const times: number[] = [];
  const rss: number[] = [];
  // The first run may compile what the V8 code cache lacks; it is discarded.
  for (let i = -1; i < runs; i++) {
    const spawned = performance.now();
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", ...start.denoFlags, probe, start.root],
      cwd: start.root,
      env: { ...start.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
    if (!output.success) {
      throw new Error(
        `Cannot run the import probe: ${new TextDecoder().decode(output.stderr).slice(0, 500)}`,
      );
    }
    const report = JSON.parse(text) as { loadedMs: number; rss: number };
    if (i < 0) continue;
    // Spawn to exit as the parent sees it: runtime start, code loading and a quick exit.
    times.push(performance.now() - spawned);
    rss.push(report.rss);
  }
  return { ms: Math.round(median(times)), rssMiB: mib(median(rss)) };
}
