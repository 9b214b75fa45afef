/**
 * The field rules of the LBRegistrar spec that the CRD states as OpenAPI keywords: patterns,
 * lengths and enums. validate.ts checks them; tests/unit/crd checks the CRD says the same.
 */

import type { StringRule } from "./_checks.ts";
import { MAX_SERVICES } from "./constants.ts";
import { LB_OCID_PATTERN } from "./ocid.ts";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** String rules by CRD path (`[]` marks list items, `{}` map values). */
export const STRING_RULES = {
  "spec.loadBalancerId": {
    nonEmpty: true,
    maxLength: 255,
    pattern: LB_OCID_PATTERN,
    shape: 'an OCID starting "ocid1.loadbalancer." or "ocid1.networkloadbalancer."',
  },
  "spec.backendSetName": {
    nonEmpty: true,
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    shape: "a backend set name of letters, digits, dashes and underscores",
  },
  "spec.services[].name": {
    nonEmpty: true,
    maxLength: 63,
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    shape: "a Service name (lowercase letters, digits and dashes, starting with a letter)",
  },
  "spec.services[].namespace": {
    nonEmpty: true,
    maxLength: 63,
    pattern: DNS_LABEL,
    shape: "a namespace name (lowercase letters, digits and dashes)",
  },
  "spec.services[].backendSetName": {
    maxLength: 255,
    pattern: /^[A-Za-z0-9_-]*$/,
    shape: "a backend set name of letters, digits, dashes and underscores",
  },
  "spec.apiKey.user": {
    nonEmpty: true,
    maxLength: 255,
    pattern: /^ocid1\.user\./,
    shape: 'a user OCID starting "ocid1.user."',
  },
  "spec.apiKey.fingerprint": {
    nonEmpty: true,
    maxLength: 128,
    pattern: /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})*$/,
    shape: "a key fingerprint of hex pairs separated by colons",
  },
  "spec.apiKey.tenancy": {
    nonEmpty: true,
    maxLength: 255,
    pattern: /^ocid1\.tenancy\./,
    shape: 'a tenancy OCID starting "ocid1.tenancy."',
  },
  "spec.apiKey.region": {
    nonEmpty: true,
    maxLength: 64,
    pattern: /^[a-z0-9-]+$/,
    shape: "a region id like ap-tokyo-1 or a short code like nrt",
  },
  "spec.apiKey.privateKey.namespace": {
    maxLength: 63,
    pattern: /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/,
    shape: "a namespace name (lowercase letters, digits and dashes)",
  },
  "spec.apiKey.privateKey.secretKeyRef.name": {
    nonEmpty: true,
    maxLength: 253,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    shape: "a Secret name (lowercase letters, digits, dashes and dots)",
  },
  "spec.apiKey.privateKey.secretKeyRef.key": {
    nonEmpty: true,
    maxLength: 253,
    pattern: SECRET_KEY,
    shape: "a Secret key (letters, digits, dashes, dots and underscores)",
  },
  "spec.apiKey.privateKey.passphraseKey": {
    nonEmpty: true,
    maxLength: 253,
    pattern: SECRET_KEY,
    shape: "a Secret key (letters, digits, dashes, dots and underscores)",
  },
  "spec.nodeSelector.matchExpressions[].key": { nonEmpty: true, maxLength: 317 },
  "spec.nodeSelector.matchExpressions[].values[]": { maxLength: 63 },
  "spec.nodeSelector.matchLabels{}": { maxLength: 63 },
} as const satisfies Record<string, StringRule>;

/** Enumerated fields of the spec by CRD path, first value the default. */
export const ENUM_RULES = {
  "spec.addressType": ["InternalIP", "ExternalIP"],
  "spec.ipFamily": ["IPv4", "IPv6"],
  "spec.ownership": ["Exclusive", "Shared"],
  "spec.deletionPolicy": ["Retain", "Deregister"],
  "spec.nodeSelector.matchExpressions[].operator": ["In", "NotIn", "Exists", "DoesNotExist"],
} as const satisfies Record<string, readonly string[]>;

/** A Service port given by name: what the CRD's CEL rule on `port` accepts for a string. */
export const PORT_NAME_PATTERN = DNS_LABEL;

/**
 * Size limits by CRD path: maxItems of lists, maxProperties of maps, maxLength of the int-or-string
 * port. They also bound the API server's cost estimate of the CEL rules.
 */
export const SIZE_LIMITS = {
  "spec.services": MAX_SERVICES,
  "spec.services[].port": 63,
  "spec.nodeSelector.matchLabels": 64,
  "spec.nodeSelector.matchExpressions": 32,
  "spec.nodeSelector.matchExpressions[].values": 64,
} as const;
