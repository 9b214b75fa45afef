/** Plays the story: each step's narration, its change, the changes OCI shows, then its table. */

import { type Screen } from "./screen.ts";
import { NotSettledError, settle, sleep } from "./settle.ts";
import type { StoryStep } from "./story.ts";
import { renderTable } from "./table.ts";
import { type DemoView, describeChanges } from "./view.ts";
import type { KubeSim } from "../../sim/kube/kube_sim.ts";

/** What playing needs. */
export interface PlayOptions {
  readonly steps: readonly StoryStep[];
  readonly kube: KubeSim;
  readonly read: () => Promise<DemoView>;
  readonly screen: Screen;
  /** Terminal width for the table, 0 when not a terminal. */
  readonly width: () => number;
  /** Longest wait for one step to settle. */
  readonly stepTimeoutMs: number;
  /** Pause after each step but the last, so a person can read the table. */
  readonly pauseMs: number;
  readonly signal: AbortSignal;
}

/** Plays every step; resolves with the last view, throws when a step does not settle in time. */
export async function playStory(options: PlayOptions): Promise<DemoView> {
  const { steps, kube, read, screen, width, stepTimeoutMs, pauseMs, signal } = options;
  let view = await read();
  for (const [i, step] of steps.entries()) {
    const sinceSeq = view.requests.at(-1)?.seq ?? 0;
    const started = Date.now();
    const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
    const table = (v: DemoView) => renderTable(v, { width: width(), sinceSeq });
    screen.log("");
    screen.log(`[${i + 1}/${steps.length}] ${step.title}`);
    step.act(kube);
    view = await settle({
      read,
      done: step.done,
      start: view,
      signal,
      timeoutMs: stepTimeoutMs,
      onView: (next, previous) => {
        for (const line of describeChanges(previous, next)) {
          screen.log(`      +${seconds()}s ${line}`);
        }
        screen.live([...table(next), `waiting for: ${step.awaiting}`]);
      },
    }).catch((error) => {
      if (!(error instanceof NotSettledError)) throw error;
      throw new Error(`Step ${i + 1} of ${steps.length} ${error.message}; wanted ${step.awaiting}`);
    });
    screen.live([...table(view), `settled in ${seconds()}s`]);
    screen.commit();
    if (pauseMs > 0 && i < steps.length - 1) await sleep(pauseMs, signal);
  }
  return view;
}
