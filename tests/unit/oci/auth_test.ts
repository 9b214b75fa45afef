import assert from "node:assert/strict";
import * as common from "oci-common";
import {
  createDefaultProvider,
  type DefaultProviderOptions,
  SERVICE_ACCOUNT_CA_PATH,
  SERVICE_ACCOUNT_TOKEN_PATH,
} from "../../../src/oci/auth.ts";
import { OciError } from "../../../src/oci/errors.ts";
import type { WorkloadIdentitySettings } from "../../../src/oci/workload_identity.ts";
import { generateOciTestKey } from "../../support/oci_keys.ts";

const key = generateOciTestKey({ passphrase: "correct horse" });
const other = generateOciTestKey();
const HOME = "/home/ada";

/** Body lines of every PEM in play, and the passphrases: none may appear in a message. */
const SECRETS = [key.pkcs8Pem, key.encryptedPkcs8Pem, other.pkcs8Pem]
  .map((pem) => pem.split("\n")[2] ?? "")
  .concat([key.passphrase, "wrong horse"]);

function configText(overrides: Record<string, string> = {}, profile = "DEFAULT"): string {
  const keys = {
    user: key.user,
    fingerprint: key.fingerprint,
    tenancy: key.tenancy,
    region: "us-phoenix-1",
    key_file: "~/.oci/key.pem",
    ...overrides,
  };
  const lines = Object.entries(keys).filter(([, value]) => value !== "").map(([name, value]) =>
    `${name}=${value}`
  );
  return `[${profile}]\n${lines.join("\n")}\n`;
}

/** A readTextFile over an in-memory file system; a missing file throws Deno's NotFound. */
function files(entries: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = entries[path];
    if (text === undefined) throw new Deno.errors.NotFound(`No such file: ${path}`);
    return text;
  };
}

/** A fake provider; `keyIdCalls` counts getKeyId() calls. */
function fakeProvider(keyId: () => Promise<string> = () => Promise.resolve("ST$token")) {
  const provider = {
    keyIdCalls: 0,
    getKeyId: () => {
      provider.keyIdCalls++;
      return keyId();
    },
    getPrivateKey: () => "",
    getPassphrase: () => null,
  };
  return provider;
}

const noBuilders = {
  instancePrincipal: () => Promise.reject(new Error("the real builder must not run")),
  workloadIdentity: () => Promise.reject(new Error("the real builder must not run")),
};

function options(overrides: Partial<DefaultProviderOptions>): DefaultProviderOptions {
  return {
    mode: "config-file",
    configPath: "~/.oci/config",
    profile: "DEFAULT",
    homeDir: HOME,
    builders: noBuilders,
    ...overrides,
  };
}

/** Asserts `run` throws (or rejects with) an OciError "credentials" matching `message`. */
async function assertCredentialsError(run: () => unknown, message: RegExp): Promise<OciError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof OciError, String(error));
    assert.equal(error.kind, "credentials");
    assert.match(error.message, message);
    for (const secret of SECRETS) {
      assert.ok(!error.message.includes(secret), `message leaks a secret: ${error.message}`);
    }
    return error;
  }
  assert.fail(`expected an OciError matching ${message}`);
}

Deno.test("createDefaultProvider() gives no provider for api-key, so objects need spec.apiKey", () => {
  assert.equal(createDefaultProvider(options({ mode: "api-key" })), undefined);
});

Deno.test("createDefaultProvider() names the accepted modes when given another", async () => {
  const mode = "magic" as unknown as DefaultProviderOptions["mode"];
  await assertCredentialsError(
    () => createDefaultProvider(options({ mode })),
    /^Cannot use --oci-auth "magic": use api-key, instance-principal, workload-identity or config-file$/,
  );
});

Deno.test("createDefaultProvider() builds an API-key provider from a config file profile", async () => {
  const factory = createDefaultProvider(options({
    readTextFile: files({
      [`${HOME}/.oci/config`]: configText(),
      [`${HOME}/.oci/key.pem`]: key.pkcs1Pem,
    }),
  }));
  assert.ok(factory);
  const provider = await factory();
  assert.equal(await provider.getKeyId(), key.keyId);
  assert.ok(common.isRegionProvider(provider));
  assert.equal(provider.getRegion().regionId, "us-phoenix-1");
  assert.match(provider.getPrivateKey(), /^-----BEGIN PRIVATE KEY-----/);
  assert.equal(provider.getPassphrase(), null);
  assert.equal(await factory(), provider, "one provider for every call");
});

Deno.test("createDefaultProvider() reads the --oci-profile profile with DEFAULT's keys under it", async () => {
  const text = configText({ user: "ocid1.user.oc1..wrong" }) +
    `[PROD]\nuser=${key.user}\nkey_file=/keys/prod.pem\n`;
  const factory = createDefaultProvider(options({
    configPath: "/etc/oci/config",
    profile: "PROD",
    readTextFile: files({ "/etc/oci/config": text, "/keys/prod.pem": key.pkcs8Pem }),
  }));
  const provider = await factory?.();
  assert.equal(await provider?.getKeyId(), key.keyId);
  assert.ok(common.isRegionProvider(provider));
  assert.equal(provider.getRegion().regionId, "us-phoenix-1", "region inherited from DEFAULT");
});

Deno.test("createDefaultProvider() opens an encrypted key_file with the profile's pass_phrase", async () => {
  const factory = createDefaultProvider(options({
    readTextFile: files({
      [`${HOME}/.oci/config`]: configText({ pass_phrase: key.passphrase }),
      [`${HOME}/.oci/key.pem`]: key.encryptedPkcs8Pem,
    }),
  }));
  const provider = await factory?.();
  // Decrypted up front, so the SDK never sees the passphrase.
  assert.equal(provider?.getPassphrase(), null);
  assert.match(provider?.getPrivateKey() ?? "", /^-----BEGIN PRIVATE KEY-----/);
});

Deno.test("createDefaultProvider() fails at once, naming the file, when the config file is missing", async () => {
  await assertCredentialsError(
    () => createDefaultProvider(options({ configPath: "/nonexistent", readTextFile: files({}) })),
    /^Cannot read --oci-config "\/nonexistent": no such file$/,
  );
});

Deno.test("createDefaultProvider() fails at once when the profile is not in the file", async () => {
  await assertCredentialsError(
    () =>
      createDefaultProvider(options({
        profile: "DEV",
        readTextFile: files({ [`${HOME}/.oci/config`]: configText() }),
      })),
    /^Cannot use profile "DEV" of --oci-config "\/home\/ada\/.oci\/config": no such profile \(--oci-profile\); the file has DEFAULT$/,
  );
});

Deno.test("createDefaultProvider() fails at once on each unusable key_file", async (t) => {
  const cases: { name: string; config: Record<string, string>; pem?: string; message: RegExp }[] = [
    {
      name: "missing file",
      config: {},
      message: /: cannot read key_file "\/home\/ada\/.oci\/key.pem": no such file$/,
    },
    {
      name: "encrypted without pass_phrase",
      config: {},
      pem: key.encryptedPkcs8Pem,
      message: /: key_file "[^"]+" is encrypted and the profile has no pass_phrase$/,
    },
    {
      name: "wrong pass_phrase",
      config: { pass_phrase: "wrong horse" },
      pem: key.encryptedPkcs8Pem,
      message: /: key_file "[^"]+": the passphrase does not decrypt it$/,
    },
    {
      name: "not a key",
      config: {},
      pem: "hello",
      message: /: key_file "[^"]+": it is not a PEM private key/,
    },
    {
      name: "fingerprint of another key",
      config: {},
      pem: other.pkcs8Pem,
      message: new RegExp(
        `: fingerprint "${key.fingerprint}" does not match key_file "[^"]+", whose fingerprint is "${other.fingerprint}"$`,
      ),
    },
    {
      name: "unknown region",
      config: { region: "mars-olympus-1" },
      pem: key.pkcs8Pem,
      message: /: unknown region "mars-olympus-1"; use a region id such as "us-ashburn-1"$/,
    },
  ];
  for (const { name, config, pem, message } of cases) {
    await t.step(name, async () => {
      const entries: Record<string, string> = { [`${HOME}/.oci/config`]: configText(config) };
      if (pem !== undefined) entries[`${HOME}/.oci/key.pem`] = pem;
      const error = await assertCredentialsError(
        () => createDefaultProvider(options({ readTextFile: files(entries) })),
        message,
      );
      assert.match(error.message, /^Cannot use profile "DEFAULT" of --oci-config "\/home\/ada/);
    });
  }
});

Deno.test("createDefaultProvider() needs HOME only when a path starts with ~", async () => {
  await assertCredentialsError(
    () => createDefaultProvider(options({ homeDir: undefined, readTextFile: files({}) })),
    /^Cannot expand "~" in --oci-config "~\/.oci\/config": HOME is not set/,
  );
  assert.equal(createDefaultProvider(options({ mode: "api-key", homeDir: undefined })), undefined);
});

Deno.test("createDefaultProvider() leaves instance-principal's builder alone until the factory runs", async () => {
  const provider = fakeProvider();
  let builds = 0;
  const factory = createDefaultProvider(options({
    mode: "instance-principal",
    readTextFile: files({}),
    builders: {
      instancePrincipal: () => {
        builds++;
        return Promise.resolve(provider);
      },
    },
  }));
  assert.ok(factory);
  assert.equal(builds, 0, "nothing is contacted while the options are checked");
  const [first, second] = await Promise.all([factory(), factory()]);
  assert.equal(first, provider);
  assert.equal(second, provider);
  assert.equal(builds, 1, "concurrent first calls share one build");
  assert.equal(provider.keyIdCalls, 1, "the first token is fetched by the factory");
});

Deno.test("createDefaultProvider() explains an instance-principal builder that fails, and retries later", async () => {
  let fail = true;
  const factory = createDefaultProvider(options({
    mode: "instance-principal",
    builders: {
      instancePrincipal: () =>
        fail
          ? Promise.reject(new Error("Failed to autoDetectCertificatesUsingMetadataUrl.\nmore"))
          : Promise.resolve(fakeProvider()),
    },
  }));
  assert.ok(factory);
  await assertCredentialsError(
    () => factory(),
    /^Cannot use --oci-auth instance-principal: Failed to autoDetectCertificatesUsingMetadataUrl\. \(is this an OCI instance in a dynamic group that a policy allows to use load balancers\?\)$/,
  );
  fail = false;
  assert.ok(await factory(), "a failure is not kept");
});

Deno.test("createDefaultProvider() turns a refused first token into a credentials error", async () => {
  const factory = createDefaultProvider(options({
    mode: "instance-principal",
    builders: {
      instancePrincipal: () =>
        Promise.resolve(fakeProvider(() => Promise.reject({ message: "401 NotAuthenticated" }))),
    },
  }));
  await assertCredentialsError(
    () => factory?.(),
    /^Cannot use --oci-auth instance-principal: 401 NotAuthenticated \(is this/,
  );
});

const POD_ENV = {
  kubernetesServiceHost: "10.96.0.1",
  kubernetesServicePortProxymux: "12251",
};
const POD_FILES = {
  [SERVICE_ACCOUNT_TOKEN_PATH]: "sa-token",
  [SERVICE_ACCOUNT_CA_PATH]: "-----BEGIN CERTIFICATE-----\n",
};

Deno.test("createDefaultProvider() hands workload-identity the proxymux URL and the pod's files", async () => {
  const seen: WorkloadIdentitySettings[] = [];
  const provider = fakeProvider();
  const factory = createDefaultProvider(options({
    mode: "workload-identity",
    ...POD_ENV,
    readTextFile: files(POD_FILES),
    builders: {
      workloadIdentity: (settings) => {
        seen.push(settings);
        return provider;
      },
    },
  }));
  assert.ok(factory);
  assert.equal(seen.length, 0);
  assert.equal(await factory(), provider);
  assert.deepEqual(seen, [{
    url: "https://10.96.0.1:12251/resourcePrincipalSessionTokens",
    tokenPath: SERVICE_ACCOUNT_TOKEN_PATH,
    caPath: SERVICE_ACCOUNT_CA_PATH,
  }]);
  assert.equal(provider.keyIdCalls, 1);
});

Deno.test("createDefaultProvider() defaults the proxymux port, takes OCI_KUBERNETES_SERVICE_ACCOUNT_CERT_PATH and brackets IPv6", async () => {
  const seen: WorkloadIdentitySettings[] = [];
  const factory = createDefaultProvider(options({
    mode: "workload-identity",
    kubernetesServiceHost: "fd00::1",
    serviceAccountCaPath: "/etc/oke/ca.pem",
    readTextFile: files({ ...POD_FILES, "/etc/oke/ca.pem": "ca" }),
    builders: {
      workloadIdentity: (settings) => {
        seen.push(settings);
        return fakeProvider();
      },
    },
  }));
  await factory?.();
  assert.equal(seen[0]?.url, "https://[fd00::1]:12250/resourcePrincipalSessionTokens");
  assert.equal(seen[0]?.caPath, "/etc/oke/ca.pem");
});

Deno.test("createDefaultProvider() refuses workload-identity outside a pod before contacting anything", async (t) => {
  const cases: { name: string; overrides: Partial<DefaultProviderOptions>; message: RegExp }[] = [
    {
      name: "no KUBERNETES_SERVICE_HOST",
      overrides: { kubernetesServiceHost: undefined },
      message:
        /^Cannot use --oci-auth workload-identity: not running in a Kubernetes pod \(KUBERNETES_SERVICE_HOST is unset\)$/,
    },
    {
      name: "bad proxymux port",
      overrides: { kubernetesServicePortProxymux: "tcp://10.96.0.1:12250" },
      message: /KUBERNETES_SERVICE_PORT_PROXYMUX "tcp:\/\/10.96.0.1:12250" is not a port number$/,
    },
    {
      name: "no token file",
      overrides: { readTextFile: files({ [SERVICE_ACCOUNT_CA_PATH]: "ca" }) },
      message:
        /^Cannot use --oci-auth workload-identity: cannot read the service account token "\/var\/run\/secrets\/kubernetes.io\/serviceaccount\/token": no such file \(is automountServiceAccountToken off\?\)$/,
    },
    {
      name: "no CA file",
      overrides: { readTextFile: files({ [SERVICE_ACCOUNT_TOKEN_PATH]: "t" }) },
      message: /: cannot read the cluster CA "[^"]+ca.crt": no such file$/,
    },
  ];
  for (const { name, overrides, message } of cases) {
    await t.step(name, async () => {
      let builds = 0;
      await assertCredentialsError(
        () =>
          createDefaultProvider(options({
            mode: "workload-identity",
            ...POD_ENV,
            readTextFile: files(POD_FILES),
            builders: {
              workloadIdentity: () => {
                builds++;
                return fakeProvider();
              },
            },
            ...overrides,
          })),
        message,
      );
      assert.equal(builds, 0);
    });
  }
});

Deno.test("createDefaultProvider() explains a workload identity token that is refused", async () => {
  const factory = createDefaultProvider(options({
    mode: "workload-identity",
    ...POD_ENV,
    readTextFile: files(POD_FILES),
    builders: {
      workloadIdentity: () =>
        fakeProvider(() => Promise.reject(new Error("the OKE proxymux refused it: 401"))),
    },
  }));
  await assertCredentialsError(
    () => factory?.(),
    /^Cannot use --oci-auth workload-identity: the OKE proxymux refused it: 401 \(is this a pod of an OKE enhanced cluster, with a policy for its service account\?\)$/,
  );
});
