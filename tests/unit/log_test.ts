import assert from "node:assert/strict";
import {
  configureLogging,
  getLogger,
  type LogFormat,
  type LogLevel,
  type LogRecord,
  REDACTED,
  redactRecord,
  resetLogging,
} from "../../src/log.ts";

const PRIVATE_KEY = [
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
  "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
  "-----END RSA PRIVATE KEY-----",
].join("\n");
const KEY_BODY = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun";
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJl";
const SIGNATURE_VALUE = "Q29tZVRvVGhlRGFya1NpZGVXZUhhdmVDb29raWVz";
const SIGNATURE_HEADER =
  `Signature version="1",keyId="ocid1.tenancy.oc1..aaa/ocid1.user.oc1..bbb/12:34",` +
  `algorithm="rsa-sha256",headers="date (request-target) host",signature="${SIGNATURE_VALUE}"`;

/** Configures logging for one test, runs it, and always resets. */
async function withLogs(
  options: { level?: LogLevel; format?: LogFormat },
  body: (output: { records: LogRecord[]; lines: string[] }) => void | Promise<void>,
) {
  const records: LogRecord[] = [];
  const lines: string[] = [];
  await configureLogging({
    level: options.level ?? "trace",
    format: options.format ?? "json",
    write: (line) => lines.push(line),
  });
  try {
    await body({ records, lines });
  } finally {
    await resetLogging();
  }
}

/** Configures a capturing sink (behind redaction) for one test. */
async function withRecords(body: (records: LogRecord[]) => void | Promise<void>) {
  const records: LogRecord[] = [];
  await configureLogging({ level: "trace", format: "json", sink: (r) => records.push(r) });
  try {
    await body(records);
  } finally {
    await resetLogging();
  }
}

function assertNoSecret(text: string) {
  for (const secret of [KEY_BODY, "PRIVATE KEY", TOKEN, SIGNATURE_VALUE, "hunter2"]) {
    assert.ok(!text.includes(secret), `leaked ${secret} in ${text}`);
  }
}

Deno.test("getLogger() logs under the lb-registrar category of its layer", async () => {
  await withRecords((records) => {
    getLogger("engine").info("Synced {backendSet}", { backendSet: "web" });
    assert.equal(records.length, 1);
    assert.deepEqual(records[0]?.category, ["lb-registrar", "engine"]);
    assert.deepEqual(records[0]?.properties, { backendSet: "web" });
  });
});

Deno.test("configureLogging() drops records below the level", async () => {
  await withLogs({ level: "warning" }, ({ lines }) => {
    const log = getLogger("engine");
    log.info("not written");
    log.warn("written");
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? "", /"message":"written"/);
  });
});

Deno.test("redaction masks a PEM private key in the message text", async () => {
  await withRecords((records) => {
    getLogger("oci").error(`Loaded key ${PRIVATE_KEY} for user`);
    const record = records[0];
    assert.ok(record);
    assertNoSecret(JSON.stringify(record.message));
    assertNoSecret(String(record.rawMessage));
    assert.match(String(record.message[0]), /Loaded key \[REDACTED PEM\] for user/);
  });
});

Deno.test("redaction masks PEM blocks in properties, nested and in arrays", async () => {
  await withRecords((records) => {
    getLogger("oci").info("Config {config}", {
      config: { files: [{ pem: PRIVATE_KEY }], note: `key:\n${PRIVATE_KEY}\nend` },
    });
    const text = JSON.stringify(records[0]);
    assertNoSecret(text);
    assert.match(text, /key:\\n\[REDACTED PEM\]\\nend/);
  });
});

Deno.test("redaction masks any -----BEGIN block, even a certificate or one cut short", async () => {
  await withRecords((records) => {
    getLogger("kube").info("{a} {b}", {
      a: "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE----- tail",
      b: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTAp",
    });
    assert.deepEqual(records[0]?.properties, { a: "[REDACTED PEM] tail", b: "[REDACTED PEM]" });
    assert.ok(!JSON.stringify(records[0]?.message).includes("MIIFHDBOBgkqhkiG9w0BBQ0wQTAp"));
  });
});

Deno.test("redaction masks bearer tokens in text and in properties", async () => {
  await withRecords((records) => {
    getLogger("kube").debug(`Sending Authorization: Bearer ${TOKEN} now`, {
      request: { note: `header was bearer ${TOKEN}` },
    });
    const text = JSON.stringify(records[0]);
    assertNoSecret(text);
    assert.match(String(records[0]?.message[0]), new RegExp(`Bearer ${escape(REDACTED)} now`));
  });
});

Deno.test("redaction masks a whole OCI Signature header and lone signature values", async () => {
  await withRecords((records) => {
    getLogger("oci").debug("Request {header} then {other}", {
      header: SIGNATURE_HEADER,
      other: `retry with signature="${SIGNATURE_VALUE}"`,
    });
    const properties = records[0]?.properties;
    assert.equal(properties?.header, `Signature ${REDACTED}`);
    assert.equal(properties?.other, `retry with signature="${REDACTED}"`);
    assertNoSecret(JSON.stringify(records[0]));
  });
});

Deno.test("redaction blanks every sensitive key at any depth, whatever the value", async () => {
  await withRecords((records) => {
    getLogger("oci").info("Auth ready", {
      passphrase: "hunter2",
      privateKey: "plain text key",
      private_key: 42,
      token: "t",
      nested: {
        Authorization: "Basic abc",
        headers: [{ "x-signature": "s" }],
        clientSecret: { value: "v" },
        fingerprint: "12:34",
      },
      secretNamespaces: null,
      hasPassphrase: false,
    });
    assert.deepEqual(records[0]?.properties, {
      passphrase: REDACTED,
      privateKey: REDACTED,
      private_key: REDACTED,
      token: REDACTED,
      nested: {
        Authorization: REDACTED,
        headers: [{ "x-signature": REDACTED }],
        clientSecret: REDACTED,
        fingerprint: "12:34",
      },
      secretNamespaces: null,
      hasPassphrase: false,
    });
  });
});

Deno.test("redaction masks a sensitive placeholder in the rendered message", async () => {
  await withLogs({ format: "text" }, ({ lines }) => {
    getLogger("oci").info("Using {passphrase} and {user.token} for {user.name}", {
      passphrase: "hunter2",
      user: { token: "abc123", name: "ops" },
    });
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? "", /Using \[REDACTED\] and \[REDACTED\] for ops/);
    assert.ok(!lines[0]?.includes("abc123"));
    assertNoSecret(lines[0] ?? "");
  });
});

Deno.test("redaction keeps errors as errors and masks their message, stack and fields", async () => {
  class OciError extends Error {
    override name = "OciError";
    status = 401;
    authorization = "Signature whatever";
  }
  await withRecords((records) => {
    const cause = new Error(`bad key ${PRIVATE_KEY}`);
    getLogger("oci").error("Failed: {error}", {
      error: new OciError(`Bearer ${TOKEN} refused`, { cause }),
    });
    const error = records[0]?.properties.error;
    assert.ok(error instanceof OciError);
    assert.equal(error.status, 401);
    assert.equal(error.authorization, REDACTED);
    assert.equal(error.message, `Bearer ${REDACTED} refused`);
    assert.ok(error.cause instanceof Error);
    assertNoSecret(`${error.message} ${error.stack} ${(error.cause as Error).message}`);
    assertNoSecret(String((error.cause as Error).stack));
  });
});

Deno.test("redaction masks Headers, Maps and raw bytes", async () => {
  await withRecords((records) => {
    getLogger("oci").debug("Sent", {
      headers: new Headers({ authorization: SIGNATURE_HEADER, "opc-request-id": "r1" }),
      map: new Map<string, unknown>([["token", "t"], ["ok", `Bearer ${TOKEN}`]]),
      bytes: new TextEncoder().encode(PRIVATE_KEY),
    });
    const { headers, map, bytes } = records[0]?.properties ?? {};
    assert.deepEqual(headers, { authorization: REDACTED, "opc-request-id": "r1" });
    assert.deepEqual(map, new Map([["token", REDACTED], ["ok", `Bearer ${REDACTED}`]]));
    assert.equal(bytes, `[${PRIVATE_KEY.length} bytes]`);
  });
});

Deno.test("redaction cuts deep nesting and cycles without throwing", async () => {
  type Node = { next?: Node; self?: Node; depth: number };
  const root: Node = { depth: 0 };
  let node = root;
  for (let depth = 1; depth < 20; depth++) node = node.next = { depth };
  root.self = root;
  await withLogs({ format: "json" }, ({ lines }) => {
    getLogger("engine").info("Tree", { root });
    const parsed = JSON.parse(lines[0] ?? "");
    assert.equal(parsed.root.self, "[Circular]");
    let cursor = parsed.root;
    let levels = 0;
    while (typeof cursor === "object") {
      cursor = cursor.next;
      levels++;
    }
    assert.equal(cursor, "[Truncated]");
    assert.ok(levels < 10, `cut after ${levels} levels`);
  });
});

Deno.test("redactRecord() leaves the caller's objects untouched", () => {
  const properties = { privateKey: PRIVATE_KEY, nested: { token: "t" } };
  const record: LogRecord = {
    category: ["lb-registrar", "oci"],
    level: "info",
    message: ["Key ", properties.privateKey, ""],
    rawMessage: "Key {privateKey}",
    timestamp: 0,
    properties,
  };
  const redacted = redactRecord(record);
  assert.equal(redacted.message[1], REDACTED);
  assert.equal(properties.privateKey, PRIVATE_KEY);
  assert.equal(properties.nested.token, "t");
  assert.equal(record.message[1], PRIVATE_KEY);
});

Deno.test("configureLogging() text format writes one human line with fields", async () => {
  await withLogs({ format: "text" }, ({ lines }) => {
    getLogger("engine").with({ lbId: "ocid1.loadbalancer.oc1..x" }).warn(
      "Backend set {backendSet} drifted",
      { backendSet: "web", added: ["10.0.0.1:30080"], reason: "multi\nline" },
    );
    assert.equal(lines.length, 1);
    const line = lines[0] ?? "";
    assert.match(
      line,
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARN {2}engine: Backend set web drifted /,
    );
    assert.ok(line.includes(` lbId=ocid1.loadbalancer.oc1..x`), line);
    assert.ok(line.includes(` added=["10.0.0.1:30080"]`), line);
    assert.ok(line.includes(` reason="multi\\nline"`), line);
    assert.ok(!line.includes(" backendSet="), "a field shown in the message is not repeated");
    assert.ok(line.endsWith("\n") && line.indexOf("\n") === line.length - 1, "one line");
  });
});

Deno.test("configureLogging() json format writes one redacted JSON object per line", async () => {
  await withLogs({ format: "json" }, ({ lines }) => {
    getLogger("oci").error("Cannot sign for {user}", {
      user: "ocid1.user.oc1..u",
      privateKey: PRIVATE_KEY,
      workRequestId: "wr1",
    });
    assert.equal(lines.length, 1);
    assertNoSecret(lines[0] ?? "");
    const parsed = JSON.parse(lines[0] ?? "");
    assert.equal(parsed.level, "ERROR");
    assert.equal(parsed.logger, "lb-registrar.oci");
    assert.equal(parsed.message, 'Cannot sign for "ocid1.user.oc1..u"');
    assert.equal(parsed.workRequestId, "wr1");
    assert.equal(parsed.privateKey, REDACTED);
    assert.ok(!Number.isNaN(Date.parse(parsed["@timestamp"])));
  });
});

function escape(text: string): string {
  return text.replace(/[[\]]/g, "\\$&");
}
