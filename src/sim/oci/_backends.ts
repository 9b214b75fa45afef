/** Backend list rules both APIs share: address and port, weight 1–100, flags, `ip:port` names, no duplicates. */
import { badRequest } from "./api_error.ts";
import type { WireObject } from "./types.ts";

/** Field names of a backend's flags in one API (classic `drain`, NLB `isDrain`, ...). */
export interface BackendFlagNames {
  backup: string;
  drain: string;
  offline: string;
}

interface BackendRules {
  flags: BackendFlagNames;
  /** NLB backends may name an instance by `targetId` instead of an address. */
  allowTargetId: boolean;
  /** With a set's ipVersion, every address must be of that family. */
  ipVersion?: "IPV4" | "IPV6";
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:.]+$/;

/** Whether `value` is a plain object (what a JSON object parses to). */
export function isObject(value: unknown): value is WireObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The backends as the server stores them: named `ip:port`, flags and weight defaulted; throws 400. */
export function normaliseBackends(list: unknown, rules: BackendRules): WireObject[] {
  if (!Array.isArray(list)) throw badRequest("Cannot read backends: expected a list");
  const seen = new Set<string>();
  return list.map((item, index) => {
    const where = `backends[${index}]`;
    if (!isObject(item)) throw badRequest(`Cannot read ${where}: expected an object`);
    const { ipAddress, targetId, port, weight } = item;
    const address = ipAddress ?? (rules.allowTargetId ? targetId : undefined);
    if (typeof address !== "string" || address === "") {
      throw badRequest(`Cannot read ${where}: ipAddress is missing`, "MissingParameter");
    }
    if (typeof ipAddress === "string") checkAddress(where, ipAddress, rules.ipVersion);
    if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
      throw badRequest(`Cannot read ${where}.port ${JSON.stringify(port)}: use 1 to 65535`);
    }
    if (
      weight !== undefined &&
      (!Number.isInteger(weight) || (weight as number) < 1 || (weight as number) > 100)
    ) {
      throw badRequest(`Cannot read ${where}.weight ${JSON.stringify(weight)}: use 1 to 100`);
    }
    const name = `${address}:${port}`;
    if (seen.has(name)) throw badRequest(`Cannot accept ${where}: backend "${name}" is duplicated`);
    seen.add(name);
    const normalised: WireObject = { ...item, name, weight: weight ?? 1 };
    for (const flag of Object.values(rules.flags)) {
      const value = item[flag] ?? false;
      if (typeof value !== "boolean") {
        throw badRequest(
          `Cannot read ${where}.${flag} ${JSON.stringify(value)}: expected a boolean`,
        );
      }
      normalised[flag] = value;
    }
    return normalised;
  });
}

function checkAddress(where: string, ip: string, ipVersion: "IPV4" | "IPV6" | undefined) {
  const family = IPV4.test(ip) ? "IPV4" : ip.includes(":") && IPV6.test(ip) ? "IPV6" : undefined;
  if (!family) throw badRequest(`Cannot read ${where}.ipAddress "${ip}": not an IP address`);
  if (ipVersion && family !== ipVersion) {
    throw badRequest(`Cannot accept ${where}.ipAddress "${ip}": the backend set is ${ipVersion}`);
  }
}

/** Throws 400 unless `value` is one of `allowed`. */
export function checkEnum(field: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw badRequest(
      `Cannot read ${field} ${JSON.stringify(value)}: use one of ${allowed.join(", ")}`,
    );
  }
}
