/** An LBRegistrar's OCI credentials: its API key Secret (one GET per sync, DESIGN §8), or the default. */

import type { Normalised } from "../api/normalise.ts";
import { KubeError } from "../kube/errors.ts";
import type { Cluster } from "../kube/port.ts";
import { OciError } from "../oci/errors.ts";
import type { OciCredentials } from "../oci/port.ts";

/** Credentials, or why there are none: `retry` says whether waiting may help without a user. */
export type CredentialsResult =
  | { ok: true; credentials: OciCredentials }
  | { ok: false; message: string; retry: boolean };

/** Reads the Secret an object's `spec.apiKey` names and builds its credentials. */
export async function resolveCredentials(
  lbrName: string,
  normalised: Pick<Normalised, "apiKey" | "region">,
  cluster: Pick<Cluster, "readSecretKey">,
): Promise<CredentialsResult> {
  const { apiKey } = normalised;
  if (!apiKey) {
    return { ok: true, credentials: { kind: "default", region: normalised.region ?? "" } };
  }
  const { namespace, name, key, passphraseKey } = apiKey.secret;
  try {
    const privateKey = await cluster.readSecretKey({ namespace, name, key });
    if (privateKey.trim() === "") {
      return {
        ok: false,
        retry: false,
        message: `Cannot use the API key of LBRegistrar "${lbrName}": key "${key}" of secret ` +
          `"${namespace}/${name}" is empty`,
      };
    }
    const passphrase = passphraseKey === undefined
      ? undefined
      : await cluster.readSecretKey({ namespace, name, key: passphraseKey });
    return {
      ok: true,
      credentials: {
        kind: "api-key",
        tenancy: apiKey.tenancy,
        user: apiKey.user,
        fingerprint: apiKey.fingerprint,
        privateKey,
        ...(passphrase === undefined ? {} : { passphrase }),
        region: apiKey.region,
      },
    };
  } catch (error) {
    if (!(error instanceof KubeError)) throw error;
    return {
      ok: false,
      retry: error.kind === "transient" || error.kind === "conflict",
      message: `Cannot read the API key of LBRegistrar "${lbrName}": ${error.message}`,
    };
  }
}

/**
 * `error` with the object and Secret whose key was used named first, when OCI blamed the key (401)
 * or the client could not use the key material: the person reading the condition then knows which
 * Secret to fix. Any other error is returned as it is.
 */
export function blameCredentials(
  error: unknown,
  lbrName: string,
  normalised: Pick<Normalised, "apiKey">,
): unknown {
  if (!(error instanceof OciError) || (error.kind !== "auth" && error.kind !== "credentials")) {
    return error;
  }
  const secret = normalised.apiKey?.secret;
  const source = secret
    ? `the API key of LBRegistrar "${lbrName}" (secret "${secret.namespace}/${secret.name}" key "${secret.key}")`
    : `the operator's default OCI authentication for LBRegistrar "${lbrName}"`;
  return new OciError(`Cannot use ${source}: ${error.message}`, {
    kind: error.kind,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.opcRequestId === undefined ? {} : { opcRequestId: error.opcRequestId }),
    cause: error,
  });
}
