/**
 * Raw JSON requests to the API server of a kubeconfig's current context (see `_connection.ts` for
 * how they travel). Bodies stay plain JSON: no generated serializer, which is what makes a
 * 5,000-node list cheap.
 */
import { assertDeclaredCall } from "./api_calls.ts";
import { type ClientNodeConnection, connectionOf } from "./_connection.ts";
import type { KubeConfigLike } from "./kubeconfig.ts";

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
export function createKubeRequest(kubeConfig: KubeConfigLike): KubeRequest {
  const connection = connectionOf(kubeConfig);
  if (connection.kind === "client-node") return clientNodeRequest(connection);
  return async (method, path, options = {}) => {
    assertDeclaredCall(method, path);
    const headers = connection.headers();
    headers.set("Accept", "application/json");
    let body: string | undefined;
    if (options.body !== undefined) {
      headers.set("Content-Type", options.contentType ?? "application/json");
      body = JSON.stringify(options.body);
    }
    const client = connection.client();
    const response = await fetch(connection.server + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(client ? { client } : {}),
    });
    return { status: response.status, text: await response.text() };
  };
}

/** The same request through client-node's auth plumbing (exec plugins, proxies…). */
function clientNodeRequest(connection: ClientNodeConnection): KubeRequest {
  return async (method, path, options = {}) => {
    assertDeclaredCall(method, path);
    const { HttpMethod, IsomorphicFetchHttpLibrary, RequestContext } = await import(
      "@kubernetes/client-node"
    );
    const kubeConfig = await connection.config();
    const context = new RequestContext(connection.server + path, HttpMethod[method]);
    context.setHeaderParam("Accept", "application/json");
    if (options.body !== undefined) {
      context.setHeaderParam("Content-Type", options.contentType ?? "application/json");
      context.setBody(JSON.stringify(options.body));
    }
    if (options.signal) context.setSignal(options.signal);
    // Refreshes tokens (file, exec) and builds the TLS agent for every request, as the typed APIs do.
    await kubeConfig.applySecurityAuthentication(context);
    const response = await new IsomorphicFetchHttpLibrary().send(context).toPromise();
    return { status: response.httpStatusCode, text: await response.body.text() };
  };
}
