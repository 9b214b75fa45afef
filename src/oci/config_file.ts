/**
 * The OCI CLI configuration file (`~/.oci/config`), read the way the OCI CLI reads it (Python's
 * configparser): `[PROFILE]` sections of `key = value` (or `key: value`) lines, whole-line comments
 * starting with `#` or `;`, keys case-insensitive, a duplicate profile or key an error, and every
 * profile inheriting the keys of `[DEFAULT]` it does not set itself. Continuation lines are not
 * supported. Messages name the file, the profile and the line, never a value (pass_phrase is one).
 */

import { OciError } from "./errors.ts";

/** One profile's keys, as lower-case names, with `[DEFAULT]`'s merged under its own. */
export type OciConfigSection = ReadonlyMap<string, string>;

/** A parsed config file: its profiles by name, `DEFAULT` included when the file has it. */
export type OciConfig = ReadonlyMap<string, OciConfigSection>;

/** What an API-key profile holds (`key_file` still as written, "~" not yet expanded). */
export interface OciConfigProfile {
  user: string;
  fingerprint: string;
  tenancy: string;
  keyFile: string;
  /** Absent when the profile names no region. */
  region?: string;
  /** Never logged. */
  passPhrase?: string;
}

/** The profile whose keys every other profile inherits. */
export const DEFAULT_PROFILE = "DEFAULT";

const REQUIRED_KEYS = ["user", "fingerprint", "tenancy", "key_file"] as const;

/** Parses the text of an OCI config file; `path` only names the file in errors. */
export function parseOciConfig(text: string, path: string): OciConfig {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    const fail = (reason: string) =>
      configError(`Cannot parse --oci-config "${path}" line ${index + 1}: ${reason}`);
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      const name = header[1]?.trim() ?? "";
      if (name === "") throw fail("empty profile name");
      if (sections.has(name)) throw fail(`profile "${name}" appears twice`);
      current = new Map();
      sections.set(name, current);
      continue;
    }
    const split = line.search(/[=:]/);
    const key = split === -1 ? "" : line.slice(0, split).trim().toLowerCase();
    if (key === "") throw fail("expected [PROFILE], key = value or a comment");
    if (current === undefined) throw fail(`"${key}" comes before any [PROFILE] header`);
    if (current.has(key)) throw fail(`key "${key}" appears twice in one profile`);
    current.set(key, line.slice(split + 1).trim());
  }
  const defaults = sections.get(DEFAULT_PROFILE) ?? new Map<string, string>();
  return new Map(
    [...sections].map(([name, keys]) => [name, new Map([...defaults, ...keys])]),
  );
}

/**
 * The API-key profile `profile` of `config` (read from `path`); throws an `OciError` "credentials"
 * naming the file and profile when it is absent, lacks a required key or uses session tokens.
 */
export function selectProfile(config: OciConfig, profile: string, path: string): OciConfigProfile {
  const fail = (reason: string) =>
    configError(`Cannot use profile "${profile}" of --oci-config "${path}": ${reason}`);
  const keys = config.get(profile);
  if (keys === undefined) {
    const known = [...config.keys()];
    throw fail(
      known.length === 0
        ? "the file has no profiles"
        : `no such profile (--oci-profile); the file has ${known.join(", ")}`,
    );
  }
  if (keys.has("security_token_file")) {
    throw fail(
      "it uses security_token_file (session authentication), which lb-registrar does not support; use a profile with an API key",
    );
  }
  const value = (key: string) => {
    const found = keys.get(key);
    return found === undefined || found === "" ? undefined : found;
  };
  const missing = REQUIRED_KEYS.filter((key) => value(key) === undefined);
  if (missing.length > 0) throw fail(`missing ${missing.join(", ")}`);
  return {
    user: value("user") ?? "",
    fingerprint: value("fingerprint") ?? "",
    tenancy: value("tenancy") ?? "",
    keyFile: value("key_file") ?? "",
    ...(value("region") === undefined ? {} : { region: value("region") }),
    ...(value("pass_phrase") === undefined ? {} : { passPhrase: value("pass_phrase") }),
  };
}

/**
 * `path` with a leading "~" replaced by `home`, as the OCI CLI expands `--config-file` and
 * `key_file`; `what` names the setting in the error thrown when "~" is used and `home` is unknown.
 */
export function expandHome(path: string, home: string | undefined, what: string): string {
  if (path !== "~" && !path.startsWith("~/")) return path;
  if (home === undefined || home === "") {
    throw configError(
      `Cannot expand "~" in ${what} "${path}": HOME is not set; use an absolute path`,
    );
  }
  return home.replace(/\/+$/, "") + path.slice(1);
}

function configError(message: string): OciError {
  return new OciError(message, { kind: "credentials" });
}
