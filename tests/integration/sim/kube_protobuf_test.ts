import assert from "node:assert/strict";
import { apiFetch, startTestKubeSim } from "../../support/kube_sim.ts";
import { KUBECTL_NAMESPACE } from "../../support/kubectl_protobuf_bodies.ts";

async function kubectlAvailable(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("kubectl", {
      args: ["version", "--client"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

const hasKubectl = await kubectlAvailable();
if (!hasKubectl) {
  console.log(
    "kubectl is not on PATH: the kubectl protobuf tests against the simulator are ignored",
  );
}

// A made-up key: only its bytes matter, and they must arrive unchanged.
const PEM =
  "-----BEGIN PRIVATE KEY-----\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8AgEAAkEAexample\n" +
  "-----END PRIVATE KEY-----\n";

const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

Deno.test({
  name:
    "kubectl create sends namespace, secret, configmap and service account as protobuf and startKubeSim() stores them",
  ignore: !hasKubectl,
  async fn(t) {
    await using sim = await startTestKubeSim({ tls: true });
    const keyPath = `${sim.dir}/key.pem`;
    await Deno.writeTextFile(keyPath, PEM);
    const decoder = new TextDecoder();
    const ok = async (...args: string[]) => {
      const output = await new Deno.Command("kubectl", {
        args: ["--kubeconfig", sim.kubeconfigPath, "--cache-dir", `${sim.dir}/cache`, ...args],
        env: { HOME: sim.dir },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(
        output.code,
        0,
        `kubectl ${args.join(" ")} failed: ${decoder.decode(output.stderr)}`,
      );
      return decoder.decode(output.stdout);
    };
    const get = (kind: string, name: string, namespace?: string) =>
      sim.sim.get({ apiVersion: "v1", kind, namespace, name });

    await t.step("create namespace", async () => {
      assert.match(await ok("create", "namespace", "x"), /namespace\/x created/);
      const ns = get("Namespace", "x");
      assert.equal(ns?.metadata.name, "x");
      assert.deepEqual(ns?.status, { phase: "Active" });
    });

    await t.step("create secret generic from a file and a literal", async () => {
      assert.match(
        await ok(
          "-n",
          "x",
          "create",
          "secret",
          "generic",
          "oci-api-key",
          `--from-file=private-key=${keyPath}`,
          "--from-literal=pass=abc",
        ),
        /secret\/oci-api-key created/,
      );
      const secret = get("Secret", "oci-api-key", "x");
      assert.deepEqual(secret?.data, { "private-key": base64(PEM), pass: base64("abc") });
      assert.equal(secret?.type, "Opaque");
    });

    await t.step("create configmap from a literal", async () => {
      assert.match(
        await ok("-n", "x", "create", "configmap", "c", "--from-literal=a=b"),
        /configmap\/c created/,
      );
      assert.deepEqual(get("ConfigMap", "c", "x")?.data, { a: "b" });
    });

    await t.step("create serviceaccount", async () => {
      assert.match(
        await ok("-n", "x", "create", "serviceaccount", "sa"),
        /serviceaccount\/sa created/,
      );
      const sa = get("ServiceAccount", "sa", "x");
      assert.equal(sa?.metadata.namespace, "x");
      assert.equal(sa?.metadata.name, "sa");
    });

    await t.step("create --save-config carries the last-applied annotation", async () => {
      await ok("-n", "x", "create", "configmap", "saved", "--from-literal=k=v", "--save-config");
      const annotations = get("ConfigMap", "saved", "x")?.metadata.annotations ?? {};
      const applied = JSON.parse(
        annotations["kubectl.kubernetes.io/last-applied-configuration"] ?? "null",
      );
      assert.equal(applied?.metadata?.name, "saved");
      assert.deepEqual(applied?.data, { k: "v" });
    });

    await t.step("the creates went over the wire as protobuf", () => {
      const creates = sim.sim.requests.filter((r) => r.method === "POST" && r.status === 201);
      assert.equal(creates.length, 5);
      for (const request of creates) {
        assert.equal(request.contentType, "application/vnd.kubernetes.protobuf", request.path);
      }
    });
  },
});

Deno.test("startKubeSim() creates from a protobuf body and answers a cut one with 400 BadRequest", async () => {
  await using sim = await startTestKubeSim();
  const post = async (body: Uint8Array<ArrayBuffer>) => {
    const response = await fetch(`${sim.sim.url}/api/v1/namespaces`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${sim.sim.token}`,
        "Content-Type": "application/vnd.kubernetes.protobuf",
        Accept: "application/vnd.kubernetes.protobuf,application/json",
      },
      body,
    });
    return { status: response.status, json: await response.json() };
  };

  const created = await post(KUBECTL_NAMESPACE);
  assert.equal(created.status, 201);
  assert.equal(created.json.kind, "Namespace");
  assert.equal(created.json.metadata.name, "x");
  assert.equal(created.json.status.phase, "Active");

  const cut = await post(KUBECTL_NAMESPACE.slice(0, 30));
  assert.equal(cut.status, 400);
  assert.equal(cut.json.reason, "BadRequest");
  assert.equal(
    cut.json.message,
    'Namespace in version "v1" cannot be handled as a Namespace: unexpected EOF',
  );

  // A JSON body on the same route still goes the JSON way.
  const json = await apiFetch(sim.sim, "POST", "/api/v1/namespaces", {
    body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "y" } },
  });
  assert.equal(json.status, 201);
});
