/** Drives a simulator in another process through its `/_sim` HTTP control API. */
import { CONTROL_METHODS, CONTROL_PREFIX } from "./control_http.ts";
import type { OciSimControl } from "./types.ts";

/** The control API, each method returning a promise. */
export type RemoteOciSimControl = {
  [K in keyof OciSimControl]: (
    ...args: Parameters<OciSimControl[K]>
  ) => Promise<ReturnType<OciSimControl[K]>>;
};

/** A client for the simulator at `url` (its base URL, as `startOciSim` reports it). */
export function connectOciSim(url: string): RemoteOciSimControl {
  const client: Record<string, unknown> = {};
  for (const name of CONTROL_METHODS) {
    client[name] = async (...args: unknown[]) => {
      const response = await fetch(new URL(CONTROL_PREFIX + name, url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(args),
      });
      const body = await response.json();
      if (!response.ok) {
        throw new Error(`Cannot call ${name} on the OCI simulator: ${body.message}`);
      }
      return body.result ?? undefined;
    };
  }
  return client as RemoteOciSimControl;
}
