import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash, sign } from "node:crypto";
import * as common from "oci-common";
import { type OciSim, startOciSim } from "../../../src/sim/oci/oci_sim.ts";
import { seedDemo } from "../../../src/sim/oci/seed.ts";
import { generateOciTestKey, ociClients, type OciKeyForm } from "../../support/oci_keys.ts";

const key = generateOciTestKey();
const otherKey = generateOciTestKey({ user: "ocid1.user.oc1..other" });

async function withSim(test: (sim: OciSim, ids: { lbId: string; nlbId: string }) => Promise<void>) {
  const sim = startOciSim({ workRequestDelayMs: 0 });
  try {
    const ids = seedDemo(sim);
    sim.registerKey(key.keyId, key.publicPem);
    await test(sim, ids);
  } finally {
    await sim.stop();
  }
}

async function ociErrorOf(call: Promise<unknown>): Promise<common.OciError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof common.OciError, `expected an OciError, got ${JSON.stringify(error)}`);
  return error;
}

/** A request signed by hand the way the SDK signs, so tests can bend one part of it. */
function signedFetch(
  base: string,
  { method = "GET", path, body, date = new Date(), digestOf = body }: {
    method?: string;
    path: string;
    body?: string;
    date?: Date;
    /** The body the x-content-sha256 header is computed from (defaults to the one sent). */
    digestOf?: string;
  },
) {
  const url = new URL(path, base);
  const headers: Record<string, string> = {
    "x-date": date.toUTCString(),
    "content-type": "application/json",
  };
  const names = ["x-date", "(request-target)", "host"];
  const values: Record<string, string> = { ...headers, host: url.host };
  if (body !== undefined) {
    headers["x-content-sha256"] = createHash("sha256").update(digestOf ?? "").digest("base64");
    values["x-content-sha256"] = headers["x-content-sha256"];
    values["content-length"] = String(Buffer.byteLength(body));
    names.push("content-type", "content-length", "x-content-sha256");
  }
  const signingString = names.map((name) =>
    name === "(request-target)"
      ? `(request-target): ${method.toLowerCase()} ${url.pathname}${url.search}`
      : `${name}: ${values[name]}`
  ).join("\n");
  const signature = sign("sha256", Buffer.from(signingString), key.pkcs8Pem).toString("base64");
  headers.authorization = `Signature version="1",keyId="${key.keyId}",algorithm="rsa-sha256",` +
    `headers="${names.join(" ")}",signature="${signature}"`;
  return fetch(url, { method, headers, body });
}

for (const form of ["pkcs1", "pkcs8", "encrypted-pkcs8"] as OciKeyForm[]) {
  Deno.test(`SDK requests signed with a key in form ${form} pass signature checks`, async () => {
    await withSim(async (sim, { lbId, nlbId }) => {
      const { lbClient, nlbClient } = ociClients(sim.url, key, form);
      const got = await lbClient.getBackendSet({
        loadBalancerId: lbId,
        backendSetName: "web-http",
      });
      assert.equal(got.backendSet.name, "web-http");
      const put = await nlbClient.updateBackendSet({
        networkLoadBalancerId: nlbId,
        backendSetName: "web-tcp",
        updateBackendSetDetails: { backends: [{ ipAddress: "10.0.0.1", port: 30080 }] },
      });
      assert.ok(put.opcWorkRequestId);
      assert.deepEqual(sim.requests().map((r) => r.status), [200, 202]);
    });
  });
}

Deno.test("a key the simulator does not know gets 401 NotAuthenticated", async () => {
  await withSim(async (sim, { lbId }) => {
    const { lbClient } = ociClients(sim.url, otherKey);
    const error = await ociErrorOf(
      lbClient.getBackendSet({ loadBalancerId: lbId, backendSetName: "web-http" }),
    );
    assert.equal(error.statusCode, 401);
    assert.equal(error.serviceCode, "NotAuthenticated");
    assert.match(error.message, /is not registered/);
  });
});

Deno.test("a signature made with another private key gets 401", async () => {
  await withSim(async (sim, { lbId }) => {
    // otherKey's keyId, but the simulator holds the public half of a different key pair.
    sim.registerKey(otherKey.keyId, key.publicPem);
    const { lbClient } = ociClients(sim.url, otherKey);
    const error = await ociErrorOf(
      lbClient.getBackendSet({ loadBalancerId: lbId, backendSetName: "web-http" }),
    );
    assert.equal(error.statusCode, 401);
    assert.match(error.message, /does not verify/);
  });
});

Deno.test("a correctly signed request with x-date 10 minutes old gets 401", async () => {
  await withSim(async (sim, { lbId }) => {
    const path = `/20170115/loadBalancers/${lbId}/backendSets/web-http`;
    const fresh = await signedFetch(sim.url, { path });
    assert.equal(fresh.status, 200);
    await fresh.body?.cancel();

    const stale = await signedFetch(sim.url, { path, date: new Date(Date.now() - 10 * 60_000) });
    assert.equal(stale.status, 401);
    const body = await stale.json();
    assert.equal(body.code, "NotAuthenticated");
    assert.match(body.message, /x-date/);
  });
});

Deno.test("a PUT whose x-content-sha256 does not match the body gets 401", async () => {
  await withSim(async (sim, { nlbId }) => {
    const path = `/20200501/networkLoadBalancers/${nlbId}/backendSets/web-tcp`;
    const body = JSON.stringify({ backends: [] });
    const honest = await signedFetch(sim.url, { method: "PUT", path, body });
    assert.equal(honest.status, 202);
    await honest.body?.cancel();

    const tampered = await signedFetch(sim.url, {
      method: "PUT",
      path,
      body,
      digestOf: JSON.stringify({ backends: [{ ipAddress: "10.0.0.9", port: 1 }] }),
    });
    assert.equal(tampered.status, 401);
    assert.match((await tampered.json()).message, /x-content-sha256/);
  });
});

Deno.test("an unsigned request gets 401 with an opc-request-id", async () => {
  await withSim(async (sim, { lbId }) => {
    const response = await fetch(`${sim.url}/20170115/loadBalancers/${lbId}`);
    assert.equal(response.status, 401);
    assert.ok(response.headers.get("opc-request-id"));
    assert.equal((await response.json()).code, "NotAuthenticated");
  });
});
