/**
 * Raw JSON requests through client-node's auth plumbing (kubeconfig, token files, exec plugins, TLS
 * agents). Bodies stay plain JSON: the generated ObjectSerializer is skipped, which is what makes a
 * 5,000-node list cheap.
 */
import "./_quiet_deprecations.ts";
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  type KubeConfig,
  RequestContext,
} from "@kubernetes/client-node";
import { assertDeclaredCall } from "./api_calls.ts";

/** One answer of the API server, body still as text. */
export interface KubeResponse {
  status: number;
  text: string;
}

/** Body (sent as JSON), its content type, and an abort signal. */
export interface KubeRequestOptions {
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

/** Sends one request; resolves with any HTTP status, rejects only on transport errors. */
export type KubeRequest = (
  method: "GET" | "POST" | "PUT" | "PATCH",
  path: string,
  options?: KubeRequestOptions,
) => Promise<KubeResponse>;

/** A `KubeRequest` bound to the current context of `kubeConfig`. */
export function createKubeRequest(kubeConfig: KubeConfig): KubeRequest {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error("Cannot use kubeconfig: its current context names no cluster");
  const library = new IsomorphicFetchHttpLibrary();
  return async (method, path, options = {}) => {
    assertDeclaredCall(method, path);
    const context = new RequestContext(server + path, HttpMethod[method]);
    context.setHeaderParam("Accept", "application/json");
    if (options.body !== undefined) {
      context.setHeaderParam("Content-Type", options.contentType ?? "application/json");
      context.setBody(JSON.stringify(options.body));
    }
    if (options.signal) context.setSignal(options.signal);
    // Refreshes tokens (file, exec) and builds the TLS agent for every request, as the typed APIs do.
    await kubeConfig.applySecurityAuthentication(context);
    const response = await library.send(context).toPromise();
    return { status: response.httpStatusCode, text: await response.body.text() };
  };
}
