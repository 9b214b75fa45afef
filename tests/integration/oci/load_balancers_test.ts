import assert from "node:assert/strict";
import * as common from "oci-common";
import { createLoadBalancers } from "../../../src/oci/load_balancers.ts";
import {
  attempts,
  KEY,
  LB_ID,
  LB_SET,
  NLB_ID,
  NLB_SET,
  rejectsWith,
  signedAttempts,
  withOciEnv,
} from "./_oci_env.ts";

const kinds = [
  {
    name: "LB",
    lbId: LB_ID,
    set: LB_SET,
    lookUp: "getLoadBalancer",
    otherLb: "ocid1.loadbalancer.oc1.iad.missing",
  },
  {
    name: "NLB",
    lbId: NLB_ID,
    set: NLB_SET,
    lookUp: "getNetworkLoadBalancer",
    otherLb: "ocid1.networkloadbalancer.oc1.iad.missing",
  },
] as const;

for (const { name, lbId, set, lookUp, otherLb } of kinds) {
  const ref = { loadBalancerId: lbId, backendSetName: set };

  Deno.test(`createLoadBalancers() ${name}: a stale if-match gives precondition`, async () => {
    await withOciEnv(async ({ sim, oci, credentials }) => {
      const snapshot = await oci.getBackendSet(ref, credentials());
      sim.setBackends(lbId, set, [{ ipAddress: "10.9.9.9", port: 31000 }]);
      const error = await rejectsWith(
        oci.replaceBackends(snapshot, [], credentials()),
        "precondition",
      );
      assert.equal(error.status, 412);
      assert.match(
        error.message,
        new RegExp(`^Cannot update backend set "${set}" of load balancer "${lbId}": 412 `),
      );
    });
  });

  Deno.test(`createLoadBalancers() ${name}: a PUT while a work request runs gives conflict`, async () => {
    await withOciEnv(async ({ sim, oci, credentials }) => {
      sim.hangNextWorkRequests({ lbId });
      const snapshot = await oci.getBackendSet(ref, credentials());
      const { workRequestId } = await oci.replaceBackends(snapshot, [], credentials());
      assert.equal(
        (await oci.getWorkRequest(lbId, workRequestId, credentials())).state,
        "IN_PROGRESS",
      );
      const error = await rejectsWith(oci.replaceBackends(snapshot, [], credentials()), "conflict");
      assert.equal(error.status, 409);
      assert.match(error.message, /\(opc-request-id [^)]+\): /);
      assert.equal(attempts(sim, "updateBackendSet"), 2);
      sim.completeWorkRequest(workRequestId);
    });
  });

  const injected = [
    { status: 429, code: "TooManyRequests", kind: "throttled" },
    { status: 500, code: "InternalServerError", kind: "transient" },
    { status: 503, code: "ServiceUnavailable", kind: "transient" },
    { status: 409, code: "IncorrectState", kind: "conflict" },
    { status: 409, code: "Conflict", kind: "conflict" },
  ] as const;

  for (const { status, code, kind } of injected) {
    Deno.test(`createLoadBalancers() ${name}: ${status} ${code} gives ${kind} after exactly one attempt per call`, async () => {
      await withOciEnv(async ({ sim, oci, credentials }) => {
        sim.inject({ op: "getBackendSet", lbId, status, code, count: 3 });
        const error = await rejectsWith(oci.getBackendSet(ref, credentials()), kind);
        assert.equal(error.code, code);
        assert.equal(attempts(sim, "getBackendSet"), 1);
        sim.reset();

        const snapshot = await oci.getBackendSet(ref, credentials());
        sim.inject({ op: "updateBackendSet", lbId, status, code, count: 3 });
        await rejectsWith(oci.replaceBackends(snapshot, [], credentials()), kind);
        assert.equal(attempts(sim, "updateBackendSet"), 1);
        sim.reset();

        sim.inject({ op: "getWorkRequest", status, code, count: 3 });
        await rejectsWith(
          oci.getWorkRequest(lbId, "ocid1.workrequest.oc1.iad.any", credentials()),
          kind,
        );
        assert.equal(attempts(sim, "getWorkRequest"), 1);
      });
    });
  }

  Deno.test(`createLoadBalancers() ${name}: a dropped connection gives transient without a retry`, async () => {
    await withOciEnv(async ({ sim, proxy, oci, credentials }) => {
      sim.dropNextConnections({ op: "getBackendSet", lbId });
      const error = await rejectsWith(oci.getBackendSet(ref, credentials()), "transient");
      assert.match(error.message, /: cannot reach OCI: /);
      assert.equal(signedAttempts(proxy, "GET", "/backendSets/"), 1);

      const snapshot = await oci.getBackendSet(ref, credentials());
      sim.dropNextConnections({ op: "updateBackendSet", lbId });
      await rejectsWith(oci.replaceBackends(snapshot, [], credentials()), "transient");
      assert.ok(attempts(sim, "updateBackendSet") >= 1, "the PUT reached the simulator");
      assert.equal(signedAttempts(proxy, "PUT", "/backendSets/"), 1);
    });
  });

  Deno.test(`createLoadBalancers() ${name}: after 12 server errors the 13th call still reaches OCI`, async () => {
    await withOciEnv(async ({ sim, oci, credentials }) => {
      sim.inject({ op: "getBackendSet", lbId, status: 500, count: 12 });
      for (let call = 0; call < 12; call++) {
        await rejectsWith(oci.getBackendSet(ref, credentials()), "transient");
      }
      const snapshot = await oci.getBackendSet(ref, credentials());
      assert.equal(snapshot.ref.loadBalancerId, lbId);
      assert.equal(attempts(sim, "getBackendSet"), 13);
    });
  });

  Deno.test(`createLoadBalancers() ${name}: an unknown load balancer gives lb-not-found`, async () => {
    await withOciEnv(async ({ sim, oci, credentials }) => {
      const error = await rejectsWith(
        oci.getBackendSet({ loadBalancerId: otherLb, backendSetName: set }, credentials()),
        "lb-not-found",
      );
      assert.equal(error.status, 404);
      assert.match(
        error.message,
        new RegExp(
          `^Cannot read backend set "${set}" of load balancer "${otherLb}": load balancer not found`,
        ),
      );
      assert.equal(attempts(sim, lookUp), 1);
    });
  });

  Deno.test(`createLoadBalancers() ${name}: an unknown backend set gives backend-set-not-found`, async () => {
    await withOciEnv(async ({ oci, credentials }) => {
      const snapshot = await oci.getBackendSet(ref, credentials());
      const missing = { ...snapshot, ref: { loadBalancerId: lbId, backendSetName: "nope" } };
      await rejectsWith(oci.getBackendSet(missing.ref, credentials()), "backend-set-not-found");
      const error = await rejectsWith(
        oci.replaceBackends(missing, [], credentials()),
        "backend-set-not-found",
      );
      assert.match(
        error.message,
        /^Cannot update backend set "nope" .*: backend set not found on the load balancer: 404 /,
      );
    });
  });

  Deno.test(`createLoadBalancers() ${name}: an unknown work request gives work-request-failed`, async () => {
    await withOciEnv(async ({ oci, credentials }) => {
      await rejectsWith(
        oci.getWorkRequest(lbId, "ocid1.workrequest.oc1.iad.gone", credentials()),
        "work-request-failed",
      );
    });
  });
}

Deno.test("createLoadBalancers() refuses an OCID of neither kind without calling OCI", async () => {
  await withOciEnv(async ({ sim, oci, credentials }) => {
    const error = await rejectsWith(
      oci.getBackendSet(
        { loadBalancerId: "ocid1.instance.oc1.iad.x", backendSetName: "b" },
        credentials(),
      ),
      "invalid",
    );
    assert.match(
      error.message,
      /^Cannot use load balancer "ocid1\.instance\.oc1\.iad\.x": the OCID must start with/,
    );
    assert.equal(sim.requests().length, 0);
  });
});

Deno.test("createLoadBalancers() refuses default credentials when no --oci-auth provider is set", async () => {
  await withOciEnv(async ({ sim, oci }) => {
    const error = await rejectsWith(
      oci.getBackendSet({ loadBalancerId: LB_ID, backendSetName: LB_SET }, {
        kind: "default",
        region: "iad",
      }),
      "credentials",
    );
    assert.match(error.message, /--oci-auth instance-principal, workload-identity or config-file$/);
    assert.equal(sim.requests().length, 0);
  });
});

Deno.test("createLoadBalancers() builds default credentials once from the --oci-auth provider", async () => {
  let built = 0;
  const defaultProvider = () => {
    built++;
    return new common.SimpleAuthenticationDetailsProvider(
      KEY.tenancy,
      KEY.user,
      KEY.fingerprint,
      KEY.pkcs8Pem,
      null,
    );
  };
  await withOciEnv(async ({ oci }) => {
    const credentials = { kind: "default", region: "" } as const;
    await oci.getBackendSet({ loadBalancerId: LB_ID, backendSetName: LB_SET }, credentials);
    await oci.getBackendSet({ loadBalancerId: LB_ID, backendSetName: LB_SET }, credentials);
    await oci.getBackendSet({ loadBalancerId: NLB_ID, backendSetName: NLB_SET }, credentials);
    assert.equal(built, 1);
  }, { defaultProvider });
});

Deno.test("createLoadBalancers() accepts a region short code, and an unknown region with --oci-endpoint", async () => {
  await withOciEnv(async ({ oci, credentials }) => {
    const ref = { loadBalancerId: LB_ID, backendSetName: LB_SET };
    assert.equal(
      (await oci.getBackendSet(ref, credentials({ region: "IAD" }))).ref.backendSetName,
      LB_SET,
    );
    assert.equal(
      (await oci.getBackendSet(ref, credentials({ region: "xx-nowhere-9" }))).ref.backendSetName,
      LB_SET,
    );
  });
});

Deno.test("createLoadBalancers() refuses an unknown region without --oci-endpoint", async () => {
  const oci = createLoadBalancers();
  const error = await rejectsWith(
    oci.getBackendSet({ loadBalancerId: LB_ID, backendSetName: LB_SET }, {
      kind: "api-key",
      tenancy: KEY.tenancy,
      user: KEY.user,
      fingerprint: KEY.fingerprint,
      privateKey: KEY.pkcs8Pem,
      region: "xx-nowhere-9",
    }),
    "credentials",
  );
  assert.match(error.message, /^Cannot use OCI region "xx-nowhere-9": unknown region; /);
});

Deno.test("createLoadBalancers() builds one client for concurrent first calls with the same credentials", async () => {
  let built = 0;
  const defaultProvider = async () => {
    built++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return new common.SimpleAuthenticationDetailsProvider(
      KEY.tenancy,
      KEY.user,
      KEY.fingerprint,
      KEY.pkcs8Pem,
      null,
    );
  };
  await withOciEnv(async ({ oci }) => {
    const credentials = { kind: "default", region: "us-ashburn-1" } as const;
    const ref = { loadBalancerId: LB_ID, backendSetName: LB_SET };
    const reads = await Promise.all([1, 2, 3].map(() => oci.getBackendSet(ref, credentials)));
    assert.equal(reads.length, 3);
    assert.equal(built, 1);
  }, { defaultProvider });
});

Deno.test("createLoadBalancers() reports a failing --oci-auth provider as credentials and tries again next call", async () => {
  let built = 0;
  const defaultProvider = () => {
    built++;
    throw new Error("instance metadata service unreachable");
  };
  await withOciEnv(async ({ oci }) => {
    const credentials = { kind: "default", region: "us-ashburn-1" } as const;
    const ref = { loadBalancerId: NLB_ID, backendSetName: NLB_SET };
    const error = await rejectsWith(oci.getBackendSet(ref, credentials), "credentials");
    assert.equal(
      error.message,
      "Cannot authenticate to OCI with the operator's --oci-auth: instance metadata service unreachable",
    );
    await rejectsWith(oci.getBackendSet(ref, credentials), "credentials");
    assert.equal(built, 2);
  }, { defaultProvider });
});
