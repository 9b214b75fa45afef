/**
 * The `--oci-auth` modes against the loopback simulators: config-file and workload identity sign
 * real SDK calls the OCI simulator verifies; workload identity gets its token from a fake OKE
 * proxymux over TLS on 127.0.0.1. Instance principal is only tested with injected builders (unit).
 */

import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createPublicKey } from "node:crypto";
import { createDefaultProvider, type DefaultProviderOptions } from "../../../src/oci/auth.ts";
import { OciError } from "../../../src/oci/errors.ts";
import { createLoadBalancers } from "../../../src/oci/load_balancers.ts";
import type { OciCredentials } from "../../../src/oci/port.ts";
import { createWorkloadIdentityProvider } from "../../../src/oci/workload_identity.ts";
import { createServerTls, type ServerTls } from "../../../src/sim/kube/tls.ts";
import { type OciSim, startOciSim } from "../../../src/sim/oci/oci_sim.ts";
import { DEMO_LB_ID, DEMO_NLB_ID, seedDemo } from "../../../src/sim/oci/seed.ts";
import { condition, rigFlags, startRig } from "../../support/e2e.ts";
import { generateOciTestKey, type OciTestKey } from "../../support/oci_keys.ts";
import { START_FLAGS } from "../../support/start_flags.ts";

const DEFAULT_CREDENTIALS: OciCredentials = { kind: "default", region: "us-ashburn-1" };
const key = generateOciTestKey({ passphrase: "open sesame" });

/** A temp HOME with `.oci/config` (profiles DEFAULT and PROD) and an encrypted key. */
async function withOciHome(
  test: (home: string) => void | Promise<void>,
  testKey: OciTestKey = key,
): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "oci-home-" });
  try {
    await Deno.mkdir(`${home}/.oci`);
    await Deno.writeTextFile(`${home}/.oci/key.pem`, testKey.encryptedPkcs8Pem);
    await Deno.writeTextFile(
      `${home}/.oci/config`,
      [
        "[DEFAULT]",
        `user=${testKey.user}`,
        `fingerprint=${testKey.fingerprint}`,
        `tenancy=${testKey.tenancy}`,
        "region=us-ashburn-1",
        "key_file=~/.oci/key.pem",
        `pass_phrase=${testKey.passphrase}`,
        "",
        "[PROD]",
        "region=eu-frankfurt-1",
        "",
      ].join("\n"),
    );
    await test(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

async function withSim(test: (sim: OciSim) => Promise<void>): Promise<void> {
  const sim = startOciSim({ workRequestDelayMs: 0 });
  try {
    seedDemo(sim);
    await test(sim);
  } finally {
    await sim.stop();
  }
}

Deno.test("config-file: a profile's API key signs calls for objects without spec.apiKey", async () => {
  await withSim((sim) =>
    withOciHome(async (home) => {
      sim.registerKey(key.keyId, key.publicPem);
      const defaultProvider = createDefaultProvider({
        mode: "config-file",
        configPath: "~/.oci/config",
        profile: "PROD",
        homeDir: home,
      });
      const oci = createLoadBalancers({ endpoint: sim.url, defaultProvider });
      const lb = await oci.getBackendSet(
        { loadBalancerId: DEMO_LB_ID, backendSetName: "web-http" },
        DEFAULT_CREDENTIALS,
      );
      assert.equal(lb.ref.backendSetName, "web-http");
      assert.notEqual(lb.etag, "");
      const nlb = await oci.getBackendSet(
        { loadBalancerId: DEMO_NLB_ID, backendSetName: "web-tcp" },
        DEFAULT_CREDENTIALS,
      );
      assert.equal(nlb.ref.loadBalancerId, DEMO_NLB_ID);
      assert.deepEqual(sim.requests().map((request) => request.status), [200, 200]);
    })
  );
});

Deno.test("config-file: a profile that is not in the file fails before any request", async () => {
  await withOciHome((home) => {
    assert.throws(
      () =>
        createDefaultProvider({
          mode: "config-file",
          configPath: `${home}/.oci/config`,
          profile: "STAGING",
          homeDir: home,
        }),
      (error: unknown) => {
        assert.ok(error instanceof OciError);
        assert.equal(error.kind, "credentials");
        assert.equal(
          error.message,
          `Cannot use profile "STAGING" of --oci-config "${home}/.oci/config": no such profile (--oci-profile); the file has DEFAULT, PROD`,
        );
        return true;
      },
    );
  });
});

Deno.test("config-file: a key OCI does not know is refused as an auth error", async () => {
  const stranger = generateOciTestKey({ user: "ocid1.user.oc1..stranger" });
  await withSim((sim) =>
    withOciHome(async (home) => {
      const oci = createLoadBalancers({
        endpoint: sim.url,
        defaultProvider: createDefaultProvider({
          mode: "config-file",
          configPath: "~/.oci/config",
          profile: "DEFAULT",
          homeDir: home,
        }),
      });
      await assert.rejects(
        oci.getBackendSet(
          { loadBalancerId: DEMO_LB_ID, backendSetName: "web-http" },
          DEFAULT_CREDENTIALS,
        ),
        (error: unknown) => error instanceof OciError && error.kind === "auth",
      );
    }, stranger)
  );
});

/** A fake OKE proxymux: trades a service-account token for an RPST registered with the OCI sim. */
interface FakeProxymux extends AsyncDisposable {
  port: number;
  tls: ServerTls;
  /** Service-account tokens presented, in order. */
  presented: string[];
  /** The service-account token it accepts. */
  accept: string;
}

async function startFakeProxymux(
  sim: OciSim,
  { lifetimeSeconds = 3600 } = {},
): Promise<FakeProxymux> {
  const tls = await createServerTls();
  let issued = 0;
  const fake = {
    presented: [] as string[],
    accept: "sa-token-1",
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert: tls.certPem, key: tls.keyPem, onListen() {} },
    async (request) => {
      const { pathname } = new URL(request.url);
      const presented = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
      const body = await request.json() as { podKey?: string };
      fake.presented.push(presented);
      if (request.method !== "POST" || pathname !== "/resourcePrincipalSessionTokens") {
        return new Response("not found", { status: 404 });
      }
      if (presented !== fake.accept) return new Response("unauthorized", { status: 401 });
      const claims = {
        exp: Math.floor(Date.now() / 1000) + lifetimeSeconds,
        res_tenant: "ocid1.tenancy.oc1..oke",
        n: ++issued,
      };
      const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "");
      const rpst = `${encode({ alg: "RS256" })}.${encode(claims)}.sig`;
      const publicPem = createPublicKey({
        key: Buffer.from(body.podKey ?? "", "base64"),
        format: "der",
        type: "spki",
      }).export({ type: "spki", format: "pem" }).toString();
      sim.registerKey(`ST$${rpst}`, publicPem);
      return new Response(btoa(JSON.stringify({ token: `ST$${rpst}` })));
    },
  );
  return Object.assign(fake, {
    port: server.addr.port,
    tls,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  });
}

/** A temp service-account directory holding `token` and the proxymux's CA. */
async function withServiceAccount(
  caPem: string,
  test: (paths: { tokenPath: string; caPath: string }) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sa-" });
  try {
    const paths = { tokenPath: `${dir}/token`, caPath: `${dir}/ca.crt` };
    await Deno.writeTextFile(paths.tokenPath, "sa-token-1\n");
    await Deno.writeTextFile(paths.caPath, caPem);
    await test(paths);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function workloadOptions(
  proxymux: FakeProxymux,
  paths: { tokenPath: string; caPath: string },
): DefaultProviderOptions {
  return {
    mode: "workload-identity",
    configPath: "~/.oci/config",
    profile: "DEFAULT",
    kubernetesServiceHost: "127.0.0.1",
    kubernetesServicePortProxymux: String(proxymux.port),
    serviceAccountTokenPath: paths.tokenPath,
    serviceAccountCaPath: paths.caPath,
  };
}

Deno.test("workload-identity: a proxymux token signs calls the OCI simulator accepts", async () => {
  await withSim(async (sim) => {
    await using proxymux = await startFakeProxymux(sim);
    await withServiceAccount(proxymux.tls.caPem, async (paths) => {
      const defaultProvider = createDefaultProvider(workloadOptions(proxymux, paths));
      assert.ok(defaultProvider);
      assert.deepEqual(proxymux.presented, [], "nothing is contacted before the factory runs");
      await defaultProvider();
      assert.deepEqual(proxymux.presented, ["sa-token-1"]);
      const oci = createLoadBalancers({ endpoint: sim.url, defaultProvider });
      const snapshot = await oci.getBackendSet(
        { loadBalancerId: DEMO_NLB_ID, backendSetName: "web-tcp" },
        DEFAULT_CREDENTIALS,
      );
      const { workRequestId } = await oci.replaceBackends(
        snapshot,
        [{
          ipAddress: "10.0.0.7",
          port: 30080,
          weight: 1,
          drain: false,
          backup: false,
          offline: false,
        }],
        DEFAULT_CREDENTIALS,
      );
      assert.ok(workRequestId);
      assert.deepEqual(
        sim.requests().map((request) => `${request.method} ${request.status}`),
        ["GET 200", "PUT 202"],
      );
      assert.deepEqual(proxymux.presented, ["sa-token-1"], "one token serves every call");
    });
  });
});

Deno.test("workload-identity: a refused service-account token fails with a clear credentials error", async () => {
  await withSim(async (sim) => {
    await using proxymux = await startFakeProxymux(sim);
    proxymux.accept = "some-other-token";
    await withServiceAccount(proxymux.tls.caPem, async (paths) => {
      const defaultProvider = createDefaultProvider(workloadOptions(proxymux, paths));
      await assert.rejects(async () => await defaultProvider?.(), (error: unknown) => {
        assert.ok(error instanceof OciError);
        assert.equal(error.kind, "credentials");
        assert.match(
          error.message,
          /^Cannot use --oci-auth workload-identity: the OKE proxymux at https:\/\/127\.0\.0\.1:\d+\/resourcePrincipalSessionTokens answered 401 Unauthorized \(it refused the service account token\) \(is this a pod of an OKE enhanced cluster/,
        );
        assert.doesNotMatch(error.message, /sa-token-1/);
        return true;
      });
    });
  });
});

Deno.test("workload-identity: a proxymux certificate the cluster CA did not sign is refused", async () => {
  const stranger = await createServerTls();
  await withSim(async (sim) => {
    await using proxymux = await startFakeProxymux(sim);
    await withServiceAccount(stranger.caPem, async (paths) => {
      const defaultProvider = createDefaultProvider(workloadOptions(proxymux, paths));
      await assert.rejects(async () => await defaultProvider?.(), (error: unknown) => {
        assert.ok(error instanceof OciError);
        assert.match(error.message, /cannot reach the OKE proxymux at https:\/\/127\.0\.0\.1:/);
        return true;
      });
      assert.deepEqual(proxymux.presented, [], "the token is never sent to an untrusted server");
    });
  });
});

Deno.test("createWorkloadIdentityProvider() renews an expiring token with a re-read service-account token", async () => {
  await withSim(async (sim) => {
    await using proxymux = await startFakeProxymux(sim, { lifetimeSeconds: 3600 });
    await withServiceAccount(proxymux.tls.caPem, async (paths) => {
      let clock = Date.now();
      const provider = createWorkloadIdentityProvider({
        url: `https://127.0.0.1:${proxymux.port}/resourcePrincipalSessionTokens`,
        ...paths,
        now: () => clock,
      });
      const first = await provider.getKeyId();
      const firstKey = provider.getPrivateKey();
      assert.equal(await provider.getKeyId(), first, "a valid token is reused");
      // The kubelet rotates the projected token; the next renewal must present the new one.
      await Deno.writeTextFile(paths.tokenPath, "sa-token-2");
      proxymux.accept = "sa-token-2";
      clock += 3600_000;
      const second = await provider.getKeyId();
      assert.notEqual(second, first);
      assert.notEqual(
        provider.getPrivateKey(),
        firstKey,
        "each token comes with a new session key",
      );
      assert.deepEqual(proxymux.presented, ["sa-token-1", "sa-token-2"]);
    });
  });
});

// --- the operator process -------------------------------------------------------------------

const MAIN = new URL("../../../main.ts", import.meta.url).pathname;
function operator(args: string[], env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--frozen", ...START_FLAGS, MAIN, "run", ...args],
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", KUBERNETES_SERVICE_HOST: "", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("run exits 1 at startup naming the --oci-config file it cannot read", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kubeconfig-" });
  try {
    const kubeconfig = `${dir}/kubeconfig`;
    await Deno.writeTextFile(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: dead, cluster: {server: 'http://127.0.0.1:1'}}]",
        "users: [{name: nobody, user: {token: x}}]",
        "contexts: [{name: dead, context: {cluster: dead, user: nobody}}]",
        "current-context: dead",
      ].join("\n"),
    );
    const { code, stderr } = await operator([
      "--oci-auth",
      "config-file",
      "--oci-config",
      "/nonexistent",
      "--kubeconfig",
      kubeconfig,
    ]);
    const text = new TextDecoder().decode(stderr);
    assert.equal(code, 1, text);
    assert.match(
      text,
      /^lb-registrar run: Cannot read --oci-config "\/nonexistent": no such file$/m,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run exits 1 at startup when workload-identity runs outside a pod", async () => {
  const { code, stderr } = await operator(["--oci-auth", "workload-identity"]);
  const text = new TextDecoder().decode(stderr);
  assert.equal(code, 1, text);
  assert.match(
    text,
    /^lb-registrar run: Cannot use --oci-auth workload-identity: not running in a Kubernetes pod \(KUBERNETES_SERVICE_HOST is unset\)$/m,
  );
});

Deno.test("run --once registers nodes for an LBRegistrar without apiKey using --oci-auth config-file", async () => {
  await using rig = await startRig();
  await withOciHome(async (home) => {
    rig.kube.sim.create({
      apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
      kind: "LBRegistrar",
      metadata: { name: "web" },
      spec: {
        loadBalancerId: DEMO_LB_ID,
        backendSetName: "web-http",
        service: { name: "web", namespace: "default", port: "http" },
      },
    });
    const { code, stderr } = await operator([
      "--once",
      "--oci-auth",
      "config-file",
      "--oci-config",
      `${home}/.oci/config`,
      ...rigFlags(rig),
      "--work-request-poll",
      "200ms",
      "--log-format",
      "json",
    ], { HOME: home });
    const log = new TextDecoder().decode(stderr);
    assert.equal(code, 0, log);
    assert.equal(rig.backends(DEMO_LB_ID, "web-http").length, 3);
    assert.equal(condition(rig.lbr("web"), "Ready"), "True/BackendsRegistered");
    assert.doesNotMatch(log, /BEGIN (RSA |ENCRYPTED )?PRIVATE KEY/);
    assert.ok(!log.includes(rig.key.passphrase), "the log shows the pass_phrase");
  }, rig.key);
});
