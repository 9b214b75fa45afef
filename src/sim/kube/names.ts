/** Object name rules and `generateName` suffixes, with the real validation messages. */

import { type FieldCause, invalidValue } from "./status_error.ts";

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Which rule a kind's names follow. */
export type NameRule = "subdomain" | "label" | "label1035" | "path";

/** The causes for a name that breaks `rule` (empty when the name is fine). */
export function nameCauses(name: string, rule: NameRule, field = "metadata.name"): FieldCause[] {
  switch (rule) {
    case "path":
      return name === "." || name === ".." || /[/%]/.test(name)
        ? [invalidValue(field, name, `may not contain '/' or '%'`)]
        : [];
    case "label":
      if (name.length <= 63 && LABEL_1123.test(name)) return [];
      return [invalidValue(
        field,
        name,
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must " +
          "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for " +
          "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      )];
    case "label1035":
      if (name.length <= 63 && LABEL_1035.test(name)) return [];
      return [invalidValue(
        field,
        name,
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an " +
          "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', " +
          "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      )];
    case "subdomain":
      if (name.length <= 253 && SUBDOMAIN.test(name)) return [];
      return [invalidValue(
        field,
        name,
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
          "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for " +
          "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      )];
  }
}

const SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** `prefix` plus the five random characters the real name generator appends. */
export function generateName(prefix: string): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) {
    suffix += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  }
  return prefix.slice(0, 58) + suffix;
}
