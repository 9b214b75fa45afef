/**
 * The operator's default OCI authentication (`--oci-auth`), used for LBRegistrars without
 * spec.apiKey. `createDefaultProvider` checks at startup what can be checked locally and throws a
 * one-line `OciError` "credentials" otherwise; the factory it returns builds the SDK provider.
 *
 * | mode               | checked by createDefaultProvider        | checked by the first factory call |
 * |--------------------|-----------------------------------------|-----------------------------------|
 * | api-key            | nothing (no factory)                    | –                                 |
 * | config-file        | file, profile, keys, region, key file,  | nothing more (no network)         |
 * |                    | pass_phrase, fingerprint against key    |                                   |
 * | instance-principal | nothing                                 | IMDS, then the first token        |
 * | workload-identity  | KUBERNETES_SERVICE_HOST, proxymux port, | the first token from the proxymux |
 * |                    | service-account token and CA readable   |                                   |
 *
 * The remote modes fetch their first token in the factory, so a refusal there is a clear
 * "credentials" error rather than a failed OCI call; later refreshes happen inside the provider.
 */

import * as common from "oci-common";
import { getLogger, type Logger } from "../log.ts";
import { fileErrorReason } from "./_file_reason.ts";
import { type OpenedPrivateKey, openPrivateKey } from "./api_key_provider.ts";
import { expandHome, parseOciConfig, selectProfile } from "./config_file.ts";
import { OciError } from "./errors.ts";
import type { DefaultProviderFactory } from "./oci_clients.ts";
import { resolveRegion } from "./region.ts";
import {
  createWorkloadIdentityProvider,
  proxymuxUrl,
  type WorkloadIdentitySettings,
} from "./workload_identity.ts";

/** Accepted values of `--oci-auth`. */
export const DEFAULT_AUTH_MODES = Object.freeze(
  ["api-key", "instance-principal", "workload-identity", "config-file"] as const,
);
/** Where the operator's own OCI credentials come from. */
export type DefaultAuthMode = typeof DEFAULT_AUTH_MODES[number];

/** Where Kubernetes mounts a pod's service-account token. */
export const SERVICE_ACCOUNT_TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token";
/** The OKE proxymux port the other OCI SDKs assume; the TypeScript SDK reads it from the environment. */
export const PROXYMUX_PORT = "12250";
/** Where Kubernetes mounts the cluster CA, which signed the OKE proxymux's certificate. */
export const SERVICE_ACCOUNT_CA_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

/** How the remote modes build their SDK provider; tests replace them so nothing is contacted. */
export interface ProviderBuilders {
  /** Talks to the instance metadata service (169.254.169.254). */
  instancePrincipal(): Promise<common.AuthenticationDetailsProvider>;
  /** Builds an OKE workload identity provider (contacts nothing until its first token). */
  workloadIdentity(
    settings: WorkloadIdentitySettings,
  ): common.AuthenticationDetailsProvider | Promise<common.AuthenticationDetailsProvider>;
}

/** `--oci-auth` and what it needs; environment values are read by the caller (src/cli). */
export interface DefaultProviderOptions {
  mode: DefaultAuthMode;
  /** `--oci-config` as given; a leading "~" is `homeDir`. */
  configPath: string;
  /** `--oci-profile`. */
  profile: string;
  /** HOME, for "~" in `configPath` and in the profile's key_file. */
  homeDir?: string;
  /** KUBERNETES_SERVICE_HOST. */
  kubernetesServiceHost?: string;
  /** KUBERNETES_SERVICE_PORT_PROXYMUX. @default PROXYMUX_PORT */
  kubernetesServicePortProxymux?: string;
  /** @default SERVICE_ACCOUNT_TOKEN_PATH */
  serviceAccountTokenPath?: string;
  /** OCI_KUBERNETES_SERVICE_ACCOUNT_CERT_PATH, as the other OCI SDKs read it. @default SERVICE_ACCOUNT_CA_PATH */
  serviceAccountCaPath?: string;
  /** @default Deno.readTextFileSync */
  readTextFile?: (path: string) => string;
  builders?: Partial<ProviderBuilders>;
  /** @default getLogger("oci") */
  logger?: Logger;
}

const INSTANCE_PRINCIPAL_HINT =
  "is this an OCI instance in a dynamic group that a policy allows to use load balancers?";
const WORKLOAD_IDENTITY_HINT =
  "is this a pod of an OKE enhanced cluster, with a policy for its service account?";

/**
 * The provider factory for `{ kind: "default" }` credentials, or undefined for `api-key` (objects
 * without spec.apiKey are then refused). Throws `OciError` "credentials" when the mode cannot work
 * here, with a message naming what is wrong.
 */
export function createDefaultProvider(
  options: DefaultProviderOptions,
): DefaultProviderFactory | undefined {
  const { mode, readTextFile = Deno.readTextFileSync, logger = getLogger("oci") } = options;
  const builders: ProviderBuilders = { ...REAL_BUILDERS, ...options.builders };
  switch (mode) {
    case "api-key":
      return undefined;
    case "config-file": {
      const provider = configFileProvider(options, readTextFile, logger);
      return () => provider;
    }
    case "instance-principal":
      logger.info("Using OCI instance principal authentication", { auth: mode });
      return remoteFactory(mode, INSTANCE_PRINCIPAL_HINT, () => builders.instancePrincipal());
    case "workload-identity": {
      const settings = workloadIdentitySettings(options, readTextFile);
      logger.info("Using OKE workload identity through {url}", { auth: mode, url: settings.url });
      return remoteFactory(mode, WORKLOAD_IDENTITY_HINT, () => builders.workloadIdentity(settings));
    }
    default: {
      const unknown: never = mode;
      throw new OciError(
        `Cannot use --oci-auth ${JSON.stringify(unknown)}: use ${
          DEFAULT_AUTH_MODES.slice(0, -1).join(", ")
        } or ${DEFAULT_AUTH_MODES.at(-1)}`,
        { kind: "credentials" },
      );
    }
  }
}

const REAL_BUILDERS: ProviderBuilders = {
  instancePrincipal: () =>
    new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build(),
  workloadIdentity: (settings) => createWorkloadIdentityProvider(settings),
};

/** The API-key provider of a config file profile, every check done now. */
function configFileProvider(
  options: DefaultProviderOptions,
  readTextFile: (path: string) => string,
  logger: Logger,
): common.SimpleAuthenticationDetailsProvider {
  const { profile, homeDir } = options;
  const path = expandHome(options.configPath, homeDir, "--oci-config");
  const text = readFile(
    readTextFile,
    path,
    (reason) => `Cannot read --oci-config "${path}": ${reason}`,
  );
  const settings = selectProfile(parseOciConfig(text, path), profile, path);
  const fail = (reason: string, cause?: unknown) =>
    new OciError(`Cannot use profile "${profile}" of --oci-config "${path}": ${reason}`, {
      kind: "credentials",
      cause,
    });
  let region: common.Region | undefined;
  if (settings.region !== undefined) {
    region = resolveRegion(settings.region);
    if (region === undefined) {
      throw fail(`unknown region "${settings.region}"; use a region id such as "us-ashburn-1"`);
    }
  }
  const keyPath = expandHome(settings.keyFile, homeDir, "key_file");
  const pem = readFile(
    readTextFile,
    keyPath,
    (reason) => `cannot read key_file "${keyPath}": ${reason}`,
    fail,
  );
  const encrypted = /ENCRYPTED PRIVATE KEY|Proc-Type:\s*4,\s*ENCRYPTED/.test(pem);
  if (encrypted && settings.passPhrase === undefined) {
    throw fail(`key_file "${keyPath}" is encrypted and the profile has no pass_phrase`);
  }
  let opened: OpenedPrivateKey;
  try {
    opened = openPrivateKey(pem, settings.passPhrase);
  } catch (error) {
    const reason = error instanceof Error
      ? error.message.replace(/^Cannot use the API key's private key: /, "")
      : String(error);
    throw fail(`key_file "${keyPath}": ${reason}`, error);
  }
  const configured = settings.fingerprint.trim().toLowerCase();
  if (opened.fingerprint !== configured) {
    throw fail(
      `fingerprint "${configured}" does not match key_file "${keyPath}", whose fingerprint is "${opened.fingerprint}"`,
    );
  }
  logger.info("Using OCI config file {path} profile {profile}", {
    auth: "config-file",
    path,
    profile,
    user: settings.user,
    fingerprint: configured,
    region: settings.region ?? "(from each load balancer's OCID)",
  });
  return new common.SimpleAuthenticationDetailsProvider(
    settings.tenancy,
    settings.user,
    configured,
    opened.pem,
    null,
    region,
  );
}

/** Where the proxymux is, after checking this process runs in a pod that can reach it. */
function workloadIdentitySettings(
  options: DefaultProviderOptions,
  readTextFile: (path: string) => string,
): WorkloadIdentitySettings {
  const fail = (reason: string) =>
    new OciError(`Cannot use --oci-auth workload-identity: ${reason}`, { kind: "credentials" });
  const host = options.kubernetesServiceHost?.trim() ?? "";
  if (host === "") throw fail("not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST is unset)");
  const port = options.kubernetesServicePortProxymux?.trim() || PROXYMUX_PORT;
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535) {
    throw fail(`KUBERNETES_SERVICE_PORT_PROXYMUX ${JSON.stringify(port)} is not a port number`);
  }
  const tokenPath = options.serviceAccountTokenPath || SERVICE_ACCOUNT_TOKEN_PATH;
  const caPath = options.serviceAccountCaPath || SERVICE_ACCOUNT_CA_PATH;
  readFile(
    readTextFile,
    tokenPath,
    (reason) =>
      `cannot read the service account token "${tokenPath}": ${reason} (is automountServiceAccountToken off?)`,
    fail,
  );
  readFile(
    readTextFile,
    caPath,
    (reason) => `cannot read the cluster CA "${caPath}": ${reason}`,
    fail,
  );
  return { url: proxymuxUrl(host, port), tokenPath, caPath };
}

/**
 * A factory that builds the provider once and fetches its first token; a failure is an `OciError`
 * "credentials" and is not kept, so the next call tries again.
 */
function remoteFactory(
  mode: DefaultAuthMode,
  hint: string,
  build: () => common.AuthenticationDetailsProvider | Promise<common.AuthenticationDetailsProvider>,
): DefaultProviderFactory {
  let pending: Promise<common.AuthenticationDetailsProvider> | undefined;
  const attempt = async () => {
    try {
      const provider = await build();
      await provider.getKeyId();
      return provider;
    } catch (error) {
      throw new OciError(`Cannot use --oci-auth ${mode}: ${reasonOf(error)} (${hint})`, {
        kind: "credentials",
        cause: error,
      });
    }
  };
  return () => {
    if (pending !== undefined) return pending;
    const started = attempt();
    pending = started;
    started.catch(() => {
      if (pending === started) pending = undefined;
    });
    return started;
  };
}

function readFile(
  readTextFile: (path: string) => string,
  path: string,
  describe: (reason: string) => string,
  fail: (message: string, cause?: unknown) => OciError = (message, cause) =>
    new OciError(message, { kind: "credentials", cause }),
): string {
  try {
    return readTextFile(path);
  } catch (error) {
    throw fail(describe(fileErrorReason(error)), error);
  }
}

/** The first line of what the SDK threw (it throws Errors, strings and plain objects). */
function reasonOf(error: unknown): string {
  const text = error instanceof Error
    ? error.message
    : typeof error === "object" && error !== null && "message" in error
    ? String(error.message)
    : String(error);
  return (text.split("\n").find((line) => line.trim() !== "") ?? "unknown error").trim();
}
