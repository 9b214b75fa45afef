/** The demo's closing summary: steps, writes per backend set, the safety counters, final status. */

import { calls, plural } from "./table.ts";
import { countCalls, type DemoView } from "./view.ts";

/** What the story did. */
export interface StoryResult {
  readonly steps: number;
  readonly seconds: number;
}

/** The summary's lines. */
export function renderSummary(view: DemoView, result: StoryResult): string[] {
  const putsBySet = new Map(view.sets.map((set) => [set.name, 0]));
  for (const request of view.requests) {
    if (request.operation !== "updateBackendSet" || !request.backendSetName) continue;
    putsBySet.set(request.backendSetName, (putsBySet.get(request.backendSetName) ?? 0) + 1);
  }
  const puts = [...putsBySet].map(([name, count]) => `${name} ${count}`).join(", ");
  const width = Math.max(...view.registrars.map((r) => r.name.length));
  return [
    "Summary",
    `  steps         ${result.steps} of ${result.steps} settled, ${
      result.seconds.toFixed(1)
    }s in all`,
    `  PUTs          ${puts}`,
    `  OCI calls     ${calls(countCalls(view.requests))}`,
    `  conflicts     ${view.conflicts} (409: a PUT while the LB's work request was running)`,
    `  overlaps      ${view.overlaps} (two PUTs in flight on one load balancer)`,
    ...view.registrars.map((r) =>
      `  ${r.name.padEnd(Math.max(width, 12))}  ${r.phase}, Ready=${r.ready}, ` +
      `${plural(r.backendCount, "backend")} registered`
    ),
  ];
}
