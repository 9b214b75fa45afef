/** Reads one key of a Secret with a single GET, only in the allowed namespaces (DESIGN §5). */
import { errorFromResponse, errorFromThrown, isSuccess } from "./_classify.ts";
import type { KubeRequest } from "./_http.ts";
import { KubeError } from "./errors.ts";
import type { SecretKeyRef } from "./port.ts";

/** Options of `createSecretReader`. */
export interface SecretReaderOptions {
  request: KubeRequest;
  /** `--secret-namespaces`: "*" or the namespaces Secrets may be read from. */
  secretNamespaces: "*" | readonly string[];
}

/** `readSecretKey(ref)`: the decoded value, or a `KubeError` saying exactly what is wrong. */
export function createSecretReader(
  options: SecretReaderOptions,
): (ref: SecretKeyRef) => Promise<string> {
  const { request, secretNamespaces } = options;
  return async ({ namespace, name, key }) => {
    const subject = `secret "${namespace}/${name}"`;
    if (secretNamespaces !== "*" && !secretNamespaces.includes(namespace)) {
      throw new KubeError(
        `Cannot read ${subject}: namespace "${namespace}" is not in --secret-namespaces (allowed: ${
          secretNamespaces.join(", ")
        })`,
        { kind: "namespace-not-allowed" },
      );
    }
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${
      encodeURIComponent(name)
    }`;
    let response;
    try {
      response = await request("GET", path);
    } catch (error) {
      throw errorFromThrown(`read ${subject}`, error);
    }
    if (response.status === 404) {
      throw new KubeError(`Cannot read ${subject}: not found`, { kind: "not-found", status: 404 });
    }
    if (!isSuccess(response.status)) throw errorFromResponse(`read ${subject}`, response);
    const data = (JSON.parse(response.text) as { data?: Record<string, string> | null }).data ?? {};
    const encoded = data[key];
    if (encoded === undefined) {
      const available = Object.keys(data).sort();
      throw new KubeError(
        `Cannot read ${subject}: key "${key}" is missing (available keys: ${
          available.length > 0 ? available.join(", ") : "none"
        })`,
        { kind: "key-missing" },
      );
    }
    return decodeBase64(encoded);
  };
}

function decodeBase64(encoded: string): string {
  const binary = atob(encoded);
  // A plain loop: Uint8Array.from(binary, fn) makes a string per character (it runs per sync).
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}
