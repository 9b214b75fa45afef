import assert from "node:assert/strict";
import denoJson from "../../../deno.json" with { type: "json" };

const ROOT = new URL("../../../", import.meta.url);
const dockerfile = await Deno.readTextFile(new URL("Dockerfile", ROOT));
// The RUN line of `deno compile`, with its continuation lines joined.
const compileLine = dockerfile.replace(/\\\n\s*/g, " ").split("\n")
  .find((line) => line.startsWith("RUN ") && line.includes("deno compile")) ?? "";

const permissions = (command: string) =>
  command.split(/\s+/).filter((word) => /^--(allow-|v8-flags)/.test(word)).sort();

Deno.test("the Dockerfile compiles with exactly the permissions and V8 flags of `deno task compile`", () => {
  assert.notEqual(compileLine, "");
  assert.deepEqual(permissions(compileLine), permissions(denoJson.tasks.compile));
  assert.match(compileLine, /--frozen/);
  assert.match(compileLine, /--output \/out\/lb-registrar main\.ts$/);
});

Deno.test("the Dockerfile embeds deploy/ and crds/, which `lb-registrar manifests` reads", () => {
  assert.match(compileLine, /--include deploy\b/);
  assert.match(compileLine, /--include crds\b/);
});

Deno.test("the Dockerfile builds on Deno 2.9.6 and ships distroless, as 65532, with no shell entrypoint", () => {
  const from = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
  assert.deepEqual(from, ["denoland/deno:2.9.6", "gcr.io/distroless/cc-debian12:nonroot"]);
  const final = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
  assert.match(final, /^USER 65532:65532$/m);
  assert.match(final, /^ENTRYPOINT \["\/lb-registrar"\]$/m);
  assert.doesNotMatch(final, /^(RUN|CMD) /m);
});

Deno.test(".dockerignore lets in exactly what the Dockerfile copies", async () => {
  const allowed = (await Deno.readTextFile(new URL(".dockerignore", ROOT))).split("\n")
    .filter((line) => line.startsWith("!")).map((line) => line.slice(1).replace(/\/$/, ""));
  const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)]
    .flatMap((m) => m[1]!.split(" ")).map((path) => path.replace(/\/$/, ""));
  assert.deepEqual(allowed.sort(), copied.sort());
});
