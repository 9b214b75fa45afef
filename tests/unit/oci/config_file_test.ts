import assert from "node:assert/strict";
import { expandHome, parseOciConfig, selectProfile } from "../../../src/oci/config_file.ts";
import { OciError } from "../../../src/oci/errors.ts";

const PATH = "/home/ada/.oci/config";

/** Asserts `run` throws an OciError "credentials" whose message matches `message`. */
function assertConfigError(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof OciError, String(error));
    assert.equal(error.kind, "credentials");
    assert.match(error.message, message);
    return true;
  });
}

const FILE = `# written by oci setup config
[DEFAULT]
user=ocid1.user.oc1..ada
fingerprint=aa:bb:cc
tenancy=ocid1.tenancy.oc1..acme
region=us-ashburn-1
key_file=~/.oci/oci_api_key.pem

; a second profile, overriding two keys
[PROD]
  USER = ocid1.user.oc1..prod
region: eu-frankfurt-1
pass_phrase = a:b=c
`;

Deno.test("parseOciConfig() reads profiles, skips comments and lower-cases keys", () => {
  const config = parseOciConfig(FILE, PATH);
  assert.deepEqual([...config.keys()], ["DEFAULT", "PROD"]);
  assert.equal(config.get("DEFAULT")?.get("fingerprint"), "aa:bb:cc");
  assert.equal(config.get("PROD")?.get("user"), "ocid1.user.oc1..prod");
});

Deno.test("parseOciConfig() splits a line at its first = or : and keeps the rest as the value", () => {
  const config = parseOciConfig(FILE, PATH);
  assert.equal(config.get("PROD")?.get("region"), "eu-frankfurt-1");
  assert.equal(config.get("PROD")?.get("pass_phrase"), "a:b=c");
});

Deno.test("parseOciConfig() lets every profile inherit the DEFAULT keys it does not set", () => {
  const prod = parseOciConfig(FILE, PATH).get("PROD");
  assert.equal(prod?.get("tenancy"), "ocid1.tenancy.oc1..acme");
  assert.equal(prod?.get("key_file"), "~/.oci/oci_api_key.pem");
  assert.equal(prod?.get("user"), "ocid1.user.oc1..prod");
});

Deno.test("parseOciConfig() accepts Windows line ends", () => {
  const config = parseOciConfig("[DEFAULT]\r\nuser=u\r\n", PATH);
  assert.equal(config.get("DEFAULT")?.get("user"), "u");
});

Deno.test("parseOciConfig() names the file and line of a line that is not key = value", () => {
  assertConfigError(
    () => parseOciConfig("[DEFAULT]\nuser=u\nMIIEvQIBADANBgkqhkiG9w0B\n", PATH),
    /^Cannot parse --oci-config "\/home\/ada\/.oci\/config" line 3: expected \[PROFILE\], key = value or a comment$/,
  );
});

Deno.test("parseOciConfig() never puts a line's content in its message", () => {
  assertConfigError(
    () => parseOciConfig("[DEFAULT]\nhunter2secret\n", PATH),
    /^(?!.*hunter2secret)/,
  );
});

Deno.test("parseOciConfig() refuses a key before any profile header", () => {
  assertConfigError(
    () => parseOciConfig("user=u\n[DEFAULT]\n", PATH),
    /line 1: "user" comes before any \[PROFILE\] header/,
  );
});

Deno.test("parseOciConfig() refuses a profile or a key given twice, as the OCI CLI does", () => {
  assertConfigError(
    () => parseOciConfig("[A]\nuser=u\n[A]\n", PATH),
    /line 3: profile "A" appears twice/,
  );
  assertConfigError(
    () => parseOciConfig("[A]\nuser=u\nUser=v\n", PATH),
    /line 3: key "user" appears twice in one profile/,
  );
});

Deno.test("parseOciConfig() refuses an empty profile name", () => {
  assertConfigError(() => parseOciConfig("[ ]\n", PATH), /line 1: empty profile name/);
});

Deno.test("selectProfile() returns the API-key settings of a profile", () => {
  const profile = selectProfile(parseOciConfig(FILE, PATH), "PROD", PATH);
  assert.deepEqual(profile, {
    user: "ocid1.user.oc1..prod",
    fingerprint: "aa:bb:cc",
    tenancy: "ocid1.tenancy.oc1..acme",
    keyFile: "~/.oci/oci_api_key.pem",
    region: "eu-frankfurt-1",
    passPhrase: "a:b=c",
  });
});

Deno.test("selectProfile() leaves region and pass_phrase out when the profile has none", () => {
  const text = "[DEFAULT]\nuser=u\nfingerprint=f\ntenancy=t\nkey_file=/k.pem\nregion=\n";
  const profile = selectProfile(parseOciConfig(text, PATH), "DEFAULT", PATH);
  assert.equal("region" in profile, false);
  assert.equal("passPhrase" in profile, false);
});

Deno.test("selectProfile() names the profiles the file has when the wanted one is missing", () => {
  assertConfigError(
    () => selectProfile(parseOciConfig(FILE, PATH), "DEV", PATH),
    /^Cannot use profile "DEV" of --oci-config "\/home\/ada\/.oci\/config": no such profile \(--oci-profile\); the file has DEFAULT, PROD$/,
  );
  assertConfigError(
    () => selectProfile(parseOciConfig("# empty\n", PATH), "DEFAULT", PATH),
    /: the file has no profiles$/,
  );
});

Deno.test("selectProfile() lists every required key the profile lacks", () => {
  assertConfigError(
    () => selectProfile(parseOciConfig("[DEFAULT]\ntenancy=t\nuser=\n", PATH), "DEFAULT", PATH),
    /^Cannot use profile "DEFAULT" of --oci-config "[^"]+": missing user, fingerprint, key_file$/,
  );
});

Deno.test("selectProfile() refuses a session-token profile with a clear reason", () => {
  const text = "[S]\nuser=u\nfingerprint=f\ntenancy=t\nkey_file=/k\nsecurity_token_file=/t\n";
  assertConfigError(
    () => selectProfile(parseOciConfig(text, PATH), "S", PATH),
    /uses security_token_file \(session authentication\)/,
  );
});

Deno.test("expandHome() replaces a leading ~ with the home directory", () => {
  assert.equal(expandHome("~/.oci/config", "/home/ada", "--oci-config"), "/home/ada/.oci/config");
  assert.equal(expandHome("~", "/home/ada/", "--oci-config"), "/home/ada");
  assert.equal(expandHome("/etc/oci/config", undefined, "--oci-config"), "/etc/oci/config");
  assert.equal(expandHome("~ada/config", "/home/ada", "--oci-config"), "~ada/config");
});

Deno.test("expandHome() explains that HOME is needed for ~", () => {
  assertConfigError(
    () => expandHome("~/.oci/config", undefined, "--oci-config"),
    /^Cannot expand "~" in --oci-config "~\/.oci\/config": HOME is not set; use an absolute path$/,
  );
});
