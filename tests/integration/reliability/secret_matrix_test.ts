/**
 * Bad-input matrix, API key Secrets: missing, wrong key, empty, not PEM, encrypted without or with
 * the wrong passphrase, 1 MB of junk, a non-RSA key, a forbidden namespace, a key OCI refuses. Each
 * ends CredentialsError naming the cause, with no OCI write and no key material in status, events or
 * logs, while the control LBRegistrar stays Ready. Odd but usable keys work.
 */

import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import {
  DEMO_NODE_SELECTOR,
  DEMO_NODES,
  expectProblem,
  expectReady,
  type MatrixRig,
  OPERATOR_NAMESPACE,
  type Row,
  rowLb,
  runMatrix,
  startMatrixRig,
  WEB,
} from "./_rig.ts";

const SET = "s";
const JUNK_BYTES = 1024 * 1024;

/** Base64 of UTF-8 text or of raw bytes, as a Secret's `data` holds it. */
function base64(value: string | Uint8Array): string {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function junk(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
  return bytes;
}

function createSecret(
  rig: MatrixRig,
  name: string,
  data: Record<string, string | Uint8Array>,
  namespace = OPERATOR_NAMESPACE,
): void {
  rig.kube.sim.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, base64(v)])),
  });
}

const ecKeyPem = () =>
  generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey
    .export({ type: "pkcs8", format: "pem" }).toString();

interface Case {
  name: string;
  /** Creates the Secret (if any) and returns the row's `spec.apiKey`. */
  apiKey: (rig: MatrixRig, secret: string) => Record<string, unknown>;
  /** Fragment of the CredentialsError message; absent for a key that must work. */
  fragment?: string;
  /** Text that must never appear in the message (key material). */
  secretText?: (rig: MatrixRig) => string;
}

const CASES: Case[] = [
  {
    name: "the Secret does not exist",
    apiKey: (rig, secret) => rig.apiKey({ name: secret }),
    fragment: `secret "${OPERATOR_NAMESPACE}/sec-00": not found`,
  },
  {
    name: "the Secret lacks the key",
    apiKey: (rig, secret) => {
      createSecret(rig, secret, { pem: rig.key.pkcs8Pem });
      return rig.apiKey({ name: secret });
    },
    fragment: 'key "private-key" is missing (available keys: pem)',
  },
  {
    name: "the key is empty",
    apiKey: (rig, secret) => {
      createSecret(rig, secret, { "private-key": "" });
      return rig.apiKey({ name: secret });
    },
    fragment: 'key "private-key" of secret "lbr-system/sec-02" is empty',
  },
  {
    name: "the key is only whitespace",
    apiKey: (rig, secret) => {
      createSecret(rig, secret, { "private-key": " \n\t\r\n " });
      return rig.apiKey({ name: secret });
    },
    fragment: "is empty",
  },
  {
    name: "the key is not PEM",
    apiKey: (rig, secret) => {
      createSecret(rig, secret, { "private-key": "ssh-rsa AAAAB3NzaC1yc2E not-a-pem" });
      return rig.apiKey({ name: secret });
    },
    fragment: "it is not a PEM private key",
  },
  {
    name: "the key is PEM armour around garbage",
    apiKey: (rig, secret) => {
      createSecret(rig, secret, {
        "private-key": "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
      });
      return rig.apiKey({ name: secret });
    },
    fragment: "it is not a valid PKCS#1 or PKCS#8 PEM private key",
  },
  {
    name: "the key is encrypted and no passphrase is named",
    apiKey: (rig, secret) => {
      createSecret(rig, secret, { "private-key": rig.key.encryptedPkcs8Pem });
      return rig.apiKey({ name: secret });
    },
    fragment: "it is encrypted and no passphrase was given",
  },
  {
    name: "the passphrase is wrong",
    apiKey: (rig, secret) => {
      createSecret(rig, secret, {
        "private-key": rig.key.encryptedPkcs8Pem,
        passphrase: "not-the-passphrase",
      });
      return rig.apiKey({ name: secret, passphraseKey: "passphrase" });
    },
    fragment: "the passphrase does not decrypt it",
    secretText: () => "not-the-passphrase",
  },
  {
    name: "the passphrase key is missing",
    apiKey: (rig, secret) => {
      createSecret(rig, secret, { "private-key": rig.key.encryptedPkcs8Pem });
      return rig.apiKey({ name: secret, passphraseKey: "passphrase" });
    },
    fragment: 'key "passphrase" is missing (available keys: private-key)',
  },
  {
    name: "the key is 1 MB of junk",
    apiKey: (rig, secret) => {
      createSecret(rig, secret, { "private-key": junk(JUNK_BYTES) });
      return rig.apiKey({ name: secret });
    },
    fragment: "it is not a PEM private key",
  },
  {
    name: "the key is 1 MB of junk inside PEM armour",
    apiKey: (rig, secret) => {
      const body = base64(junk(JUNK_BYTES)).replace(/.{64}/g, "$&\n");
      createSecret(rig, secret, {
        "private-key": `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\n`,
      });
      return rig.apiKey({ name: secret });
    },
    fragment: "it is not a valid PKCS#1 or PKCS#8 PEM private key",
  },
  {
    name: "the key is an EC key",
    apiKey: (rig, secret) => {
      createSecret(rig, secret, { "private-key": ecKeyPem() });
      return rig.apiKey({ name: secret });
    },
    fragment: "it is an ec key, OCI API keys are RSA",
  },
  {
    name: "the Secret is outside --secret-namespaces",
    apiKey: (rig, secret) => {
      createSecret(rig, secret, { "private-key": rig.key.pkcs8Pem }, "default");
      const apiKey = rig.apiKey({ name: secret }) as { privateKey: Record<string, unknown> };
      return { ...apiKey, privateKey: { ...apiKey.privateKey, namespace: "default" } };
    },
    fragment: 'namespace "default" is not in --secret-namespaces (allowed: lbr-system)',
  },
  {
    name: "the fingerprint does not match the key (OCI answers 401)",
    apiKey: (rig) => ({ ...rig.apiKey(), fingerprint: "00:11:22:33:44:55:66:77:88:99:aa:bb" }),
    fragment: 'the configured fingerprint "00:11:22:33:44:55:66:77:88:99:aa:bb" does not match',
  },
  {
    name: "an encrypted key with the right passphrase",
    apiKey: (rig, secret) => {
      createSecret(rig, secret, {
        "private-key": rig.key.encryptedPkcs8Pem,
        passphrase: rig.key.passphrase,
      });
      return rig.apiKey({ name: secret, passphraseKey: "passphrase" });
    },
  },
  {
    name: "a PKCS#1 key with CRLF line ends, trailing spaces and blank lines around it",
    apiKey: (rig, secret) => {
      const padded = rig.key.pkcs1Pem.trimEnd().split("\n").map((line) => `${line}  `);
      createSecret(rig, secret, { "private-key": `\r\n\r\n  ${padded.join("\r\n")}\r\n\n` });
      return rig.apiKey({ name: secret });
    },
  },
  {
    name: "a Secret with 1,000 other keys",
    apiKey: (rig, secret) => {
      const data: Record<string, string> = { "private-key": rig.key.pkcs8Pem };
      for (let i = 0; i < 1000; i++) data[`other-${i}`] = `value ${i}`;
      createSecret(rig, secret, data);
      return rig.apiKey({ name: secret });
    },
  },
];

/** A line of the rig's private key body: it must never show up in status, events or logs. */
function keyLine(rig: MatrixRig): string {
  return rig.key.pkcs8Pem.split("\n")[5] ?? "";
}

const ROWS: Row[] = CASES.map((c, n) => {
  const lbr = `sec-${String(n).padStart(2, "0")}`;
  const lbId = rowLb("sec", n);
  const valid = c.fragment === undefined;
  return {
    name: valid
      ? `a usable but odd key works: ${c.name}`
      : `${c.name}: CredentialsError naming the cause`,
    lbr,
    ...(valid ? {} : { noWritesTo: [lbId] }),
    arrange(rig) {
      rig.addLoadBalancer(lbId, [SET]);
      rig.createRaw(lbr, {
        spec: {
          loadBalancerId: lbId,
          backendSetName: SET,
          services: [WEB],
          nodeSelector: DEMO_NODE_SELECTOR,
          apiKey: c.apiKey(rig, lbr),
        },
      });
    },
    async verify(rig) {
      if (valid) {
        await expectReady(rig, lbr, lbId, SET, () => rig.expectedBackends(DEMO_NODES));
        return;
      }
      const ready = await expectProblem(rig, lbr, "CredentialsError", c.fragment!);
      assert.ok(ready.message.length < 1000, `a short message (${ready.message.length})`);
      assert.ok(!ready.message.includes(keyLine(rig)), "no key material in the message");
      const secret = c.secretText?.(rig);
      if (secret) assert.ok(!ready.message.includes(secret), "no passphrase in the message");
    },
  };
});

Deno.test("createEngine() reports every unusable API key Secret without writing, one row each", async (t) => {
  await using rig = await startMatrixRig();
  await runMatrix(t, rig, ROWS);
  const logged = JSON.stringify(rig.logs);
  assert.ok(!logged.includes(keyLine(rig)), "no key material in the logs");
  assert.ok(!logged.includes(rig.key.passphrase), "no passphrase in the logs");
  assert.ok(!logged.includes("not-the-passphrase"), "no wrong passphrase in the logs");
  const events = JSON.stringify(await rig.kube.sim.list("v1", "Event", { namespace: "default" }));
  assert.ok(!events.includes(keyLine(rig)), "no key material in events");
});
