/**
 * SDK clients per credential and per kind (classic LB, NLB), built on first use and cached until the
 * key material changes or OCI refuses it (401). Every client has the SDK's retries and circuit
 * breaker off: the engine retries with its own backoff (DESIGN §5), and the NLB SDK default would
 * otherwise retry for ~90 s and the breaker would fail calls without reaching OCI.
 */

import * as common from "oci-common";
import * as lb from "oci-loadbalancer";
import * as nlb from "oci-networkloadbalancer";
import type { Logger } from "../log.ts";
import { patchSdkCosts } from "./_sdk_costs.ts";
import { createApiKeyProvider } from "./api_key_provider.ts";
import { createClientCache, credentialCacheKey } from "./client_cache.ts";
import { OciError } from "./errors.ts";
import type { OciCredentials } from "./port.ts";
import { regionOfOcid, resolveRegion } from "./region.ts";

/** Builds the operator's own provider for `{ kind: "default" }` credentials (`--oci-auth`). */
export type DefaultProviderFactory = () =>
  | common.AuthenticationDetailsProvider
  | Promise<common.AuthenticationDetailsProvider>;

/** A client and what the adapter needs to report and evict it. */
export interface ClientHandle<C> {
  client: C;
  cacheKey: string;
  /** Added to a 401 message, e.g. that the fingerprint does not match the key. */
  authHint?: string;
}

/** The clients an adapter asks for; see `createOciClients`. */
export interface OciClients {
  lb(
    credentials: OciCredentials,
    loadBalancerId: string,
  ): Promise<ClientHandle<lb.LoadBalancerClient>>;
  nlb(
    credentials: OciCredentials,
    loadBalancerId: string,
  ): Promise<ClientHandle<nlb.NetworkLoadBalancerClient>>;
  /** Forgets the clients of one credential (after a 401). */
  evict(cacheKey: string): void;
}

export interface OciClientsOptions {
  /** Base URL for both APIs (`--oci-endpoint`); the SDK appends /20170115 or /20200501. */
  endpoint?: string;
  defaultProvider?: DefaultProviderFactory;
  logger: Logger;
  /** @default 64 */
  maxClients?: number;
}

interface Entry {
  provider: common.AuthenticationDetailsProvider;
  region: common.Region | undefined;
  authHint?: string;
  lb?: lb.LoadBalancerClient;
  nlb?: nlb.NetworkLoadBalancerClient;
}

/** A cache of SDK clients with retries and circuit breaker off. */
export function createOciClients(options: OciClientsOptions): OciClients {
  const { defaultProvider, logger, maxClients = 64 } = options;
  if (!patchSdkCosts()) {
    logger.debug("oci-common is not the version measured: request bodies are hashed the slow way");
  }
  const endpoint = options.endpoint?.replace(/\/+$/, "");
  // Promises, so concurrent first calls for one credential share one build.
  const cache = createClientCache<Promise<Entry>>(maxClients);

  async function entryFor(credentials: OciCredentials, loadBalancerId: string) {
    const regionName = (credentials.region.trim() || regionOfOcid(loadBalancerId) || "")
      .toLowerCase();
    const cacheKey = credentialCacheKey(credentials, regionName);
    let pending = cache.get(cacheKey);
    if (pending === undefined) {
      pending = buildEntry(credentials, regionName, loadBalancerId);
      cache.set(cacheKey, pending);
      const built = pending;
      // A failed build is not cached: the next sync tries again (e.g. a Secret fixed meanwhile).
      built.catch(() => {
        if (cache.get(cacheKey) === built) cache.delete(cacheKey);
      });
    }
    return { entry: await pending, cacheKey };
  }

  async function buildEntry(
    credentials: OciCredentials,
    regionName: string,
    loadBalancerId: string,
  ): Promise<Entry> {
    const region = resolveRegion(regionName);
    if (credentials.kind === "api-key") {
      if (region === undefined && endpoint === undefined) throw unknownRegion(regionName);
      const { provider, keyFingerprint } = createApiKeyProvider(credentials, region);
      const configured = credentials.fingerprint.trim().toLowerCase();
      logger.debug("Using OCI API key {fingerprint} in region {region}", {
        auth: "api-key",
        fingerprint: configured,
        region: regionName,
      });
      const authHint = keyFingerprint === configured
        ? undefined
        : `the configured fingerprint "${configured}" does not match the private key, whose fingerprint is "${keyFingerprint}"`;
      return { provider, region, authHint };
    }
    if (defaultProvider === undefined) {
      throw new OciError(
        `Cannot authenticate to OCI for load balancer "${loadBalancerId}": the LBRegistrar has no spec.apiKey and the operator has no default OCI authentication; set spec.apiKey or run with --oci-auth instance-principal, workload-identity or config-file`,
        { kind: "credentials" },
      );
    }
    let provider: common.AuthenticationDetailsProvider;
    try {
      provider = await defaultProvider();
    } catch (error) {
      throw new OciError(
        `Cannot authenticate to OCI with the operator's --oci-auth: ${messageOf(error)}`,
        { kind: "credentials", cause: error },
      );
    }
    const own = common.isRegionProvider(provider) ? provider.getRegion() : undefined;
    if (region === undefined && own === undefined && endpoint === undefined) {
      throw unknownRegion(regionName);
    }
    logger.debug("Using the operator's default OCI authentication in region {region}", {
      auth: "default",
      region: regionName,
    });
    return { provider, region: region ?? own };
  }

  /** Points a new client at `--oci-endpoint` or at the entry's region. */
  function locate(client: { region: common.Region; endpoint: string }, entry: Entry): void {
    if (entry.region !== undefined) client.region = entry.region;
    if (endpoint !== undefined) client.endpoint = endpoint;
  }

  return {
    async lb(credentials, loadBalancerId) {
      const { entry, cacheKey } = await entryFor(credentials, loadBalancerId);
      entry.lb ??= construct(() => {
        const client = new lb.LoadBalancerClient(
          { authenticationDetailsProvider: entry.provider },
          clientConfiguration(),
        );
        locate(client, entry);
        return client;
      });
      return { client: entry.lb, cacheKey, authHint: entry.authHint };
    },
    async nlb(credentials, loadBalancerId) {
      const { entry, cacheKey } = await entryFor(credentials, loadBalancerId);
      entry.nlb ??= construct(() => {
        const client = new nlb.NetworkLoadBalancerClient(
          { authenticationDetailsProvider: entry.provider },
          clientConfiguration(),
        );
        locate(client, entry);
        return client;
      });
      return { client: entry.nlb, cacheKey, authHint: entry.authHint };
    },
    evict(cacheKey) {
      cache.delete(cacheKey);
    },
  };
}

/** One attempt per call and no circuit breaker (verified by server-side counts in the tests). */
function clientConfiguration(): common.ClientConfiguration {
  return {
    retryConfiguration: {
      terminationStrategy: new common.MaxAttemptsTerminationStrategy(1),
      retryCondition: () => false,
    },
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
  };
}

/** Runs an SDK constructor, which parses the key; its failures are credential problems. */
function construct<C>(build: () => C): C {
  try {
    return build();
  } catch (error) {
    // The SDK throws sshpk errors or bare strings here; only the error's name is safe to show.
    const name = error instanceof Error ? error.name : typeof error;
    throw new OciError(`Cannot create the OCI client: the SDK refused the credentials (${name})`, {
      kind: "credentials",
      cause: error,
    });
  }
}

function unknownRegion(regionName: string): OciError {
  return new OciError(
    `Cannot use OCI region "${regionName}": unknown region; use a region id such as "us-ashburn-1" or a short code such as "iad", or set --oci-endpoint`,
    { kind: "credentials" },
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
