import assert from "node:assert/strict";
import { configureLogging, type LogRecord, resetLogging } from "../../../src/log.ts";
import { generateOciTestKey } from "../../support/oci_keys.ts";
import {
  attempts,
  KEY,
  LB_ID,
  LB_SET,
  NLB_ID,
  NLB_SET,
  rejectsWith,
  withOciEnv,
} from "./_oci_env.ts";

const lbRef = { loadBalancerId: LB_ID, backendSetName: LB_SET };
const nlbRef = { loadBalancerId: NLB_ID, backendSetName: NLB_SET };
/** A second key pair the simulator does not know. */
const STRANGER = generateOciTestKey({ passphrase: "other" });

/** Runs `test` with debug logging captured, and returns how many API-key clients were built. */
async function countingClientBuilds(test: () => Promise<void>): Promise<number> {
  const records: LogRecord[] = [];
  await configureLogging({
    level: "debug",
    format: "text",
    sink: (record) => records.push(record),
  });
  try {
    await test();
  } finally {
    await resetLogging();
  }
  return records.filter((record) => String(record.rawMessage).startsWith("Using OCI API key"))
    .length;
}

const forms = [
  { name: "PKCS#1", privateKey: KEY.pkcs1Pem, passphrase: undefined },
  { name: "PKCS#8", privateKey: KEY.pkcs8Pem, passphrase: undefined },
  { name: "encrypted PKCS#8", privateKey: KEY.encryptedPkcs8Pem, passphrase: KEY.passphrase },
];

for (const { name, privateKey, passphrase } of forms) {
  Deno.test(`createLoadBalancers() signs with a ${name} API key for LB and NLB`, async () => {
    await withOciEnv(async ({ oci, credentials }) => {
      const signed = credentials({ privateKey, passphrase });
      assert.equal((await oci.getBackendSet(lbRef, signed)).backends.length, 2);
      assert.equal((await oci.getBackendSet(nlbRef, signed)).backends.length, 2);
    });
  });
}

/** One line of base64 from each PEM, plus the passphrases: none may show up in a message. */
const keyMaterial = [KEY.pkcs1Pem, KEY.pkcs8Pem, KEY.encryptedPkcs8Pem]
  .map((pem) => pem.split("\n")[3] ?? "")
  .concat([KEY.passphrase, "not the passphrase"]);

const unusable = [
  {
    name: "a damaged PEM",
    privateKey: KEY.pkcs8Pem.replace(/\n[A-Za-z0-9+/]{32}/, "\n#"),
    passphrase: undefined,
    reason: /not a valid PKCS#1 or PKCS#8 PEM private key$/,
  },
  {
    name: "text that is no PEM",
    privateKey: "ssh-rsa AAAAB3Nza",
    passphrase: undefined,
    reason: /not a PEM private key/,
  },
  {
    name: "a wrong passphrase",
    privateKey: KEY.encryptedPkcs8Pem,
    passphrase: "not the passphrase",
    reason: /the passphrase does not decrypt it$/,
  },
  {
    name: "an encrypted key without passphrase",
    privateKey: KEY.encryptedPkcs8Pem,
    passphrase: undefined,
    reason: /encrypted and no passphrase was given/,
  },
];

for (const { name, privateKey, passphrase, reason } of unusable) {
  Deno.test(`createLoadBalancers() refuses ${name} as credentials without sending a request`, async () => {
    await withOciEnv(async ({ sim, oci, credentials }) => {
      for (const ref of [lbRef, nlbRef]) {
        const error = await rejectsWith(
          oci.getBackendSet(ref, credentials({ privateKey, passphrase })),
          "credentials",
        );
        assert.match(error.message, reason);
        for (const secret of keyMaterial) {
          assert.ok(!error.message.includes(secret), "message leaks key material");
        }
      }
      assert.equal(sim.requests().length, 0);
    });
  });
}

Deno.test("createLoadBalancers() reports a key OCI does not know as auth and rebuilds the client next time", async () => {
  let message = "";
  const builds = await countingClientBuilds(async () => {
    await withOciEnv(async ({ sim, oci, credentials }) => {
      const wrongKey = credentials({ privateKey: STRANGER.pkcs8Pem });
      const error = await rejectsWith(oci.getBackendSet(lbRef, wrongKey), "auth");
      message = error.message;
      assert.equal(error.status, 401);
      await rejectsWith(oci.getBackendSet(nlbRef, wrongKey), "auth");
      assert.equal(attempts(sim, "getBackendSet"), 2);
    });
  });
  assert.equal(builds, 2, "the client refused with 401 was dropped from the cache");
  assert.match(
    message,
    /: OCI refused the credentials \(check tenancy, user, fingerprint and key\): 401 NotAuthenticated/,
  );
  assert.match(
    message,
    new RegExp(
      `the configured fingerprint "${KEY.fingerprint}" does not match the private key, whose fingerprint is "${STRANGER.fingerprint}"$`,
    ),
  );
});

Deno.test("createLoadBalancers() reports a wrong fingerprint as auth", async () => {
  await withOciEnv(async ({ oci, credentials }) => {
    const error = await rejectsWith(
      oci.getBackendSet(nlbRef, credentials({ fingerprint: STRANGER.fingerprint })),
      "auth",
    );
    assert.match(error.message, /does not match the private key/);
  });
});

Deno.test("createLoadBalancers() reuses a client while the key is unchanged and rebuilds it when the key changes", async () => {
  const builds = await countingClientBuilds(async () => {
    await withOciEnv(async ({ sim, oci, credentials }) => {
      await oci.getBackendSet(lbRef, credentials());
      await oci.getBackendSet(lbRef, credentials());
      await oci.getBackendSet(nlbRef, credentials());
      sim.registerKey(STRANGER.keyId, STRANGER.publicPem);
      const rotated = credentials({
        privateKey: STRANGER.pkcs1Pem,
        fingerprint: STRANGER.fingerprint,
        user: STRANGER.user,
      });
      assert.equal((await oci.getBackendSet(lbRef, rotated)).backends.length, 2);
    });
  });
  assert.equal(builds, 2);
});
