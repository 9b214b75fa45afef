/**
 * IP address literals: family, canonical text and whether a load balancer can reach them.
 * Node addresses and OCI backends may spell the same IPv6 address differently, so every comparison
 * goes through the canonical form (RFC 5952: lower case, no leading zeros, longest zero run as "::").
 */

import type { IpFamily } from "../api/types.ts";

/** A parsed IP literal. */
export interface ParsedIp {
  family: IpFamily;
  /** Canonical text: dotted quad, or RFC 5952 for IPv6. */
  canonical: string;
  /** Why a load balancer cannot send traffic to it (loopback, link-local...); absent when usable. */
  unusable?: string;
}

const IPV4_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const IPV4 = new RegExp(`^${IPV4_OCTET}\\.${IPV4_OCTET}\\.${IPV4_OCTET}\\.${IPV4_OCTET}$`);
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Parses an IPv4 or IPv6 literal; `undefined` for anything else (host names, zones, CIDRs, ""). */
export function parseIp(text: string): ParsedIp | undefined {
  const v4 = ipv4Octets(text);
  if (v4) return { family: "IPv4", canonical: v4.join("."), ...usableV4(v4) };
  const v6 = ipv6Groups(text);
  if (v6) return { family: "IPv6", canonical: canonicalV6(v6), ...usableV6(v6) };
  return undefined;
}

/** The canonical text of an IP literal, or `undefined` when `text` is not one. */
export function canonicalIp(text: string): string | undefined {
  // Every backend of every set goes through here on each plan: skip the parse for the common case.
  if (isDottedQuad(text)) return text;
  return parseIp(text)?.canonical;
}

/** A canonical dotted quad (four octets 0–255 without leading zeros), checked without allocating. */
function isDottedQuad(text: string): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      parts++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return false;
      value = value * 10 + (c - 48);
      digits++;
      if (digits > 3) return false;
    } else return false;
  }
  return parts === 4;
}

/** A string that sorts IPv4 before IPv6, then numerically by address, then by port. */
export function ipPortSortKey(canonical: string, port: number): string {
  const v4 = ipv4Octets(canonical);
  const portPart = String(port).padStart(5, "0");
  if (v4) return `4${v4.map((o) => o.toString(16).padStart(2, "0")).join("")}${portPart}`;
  const v6 = ipv6Groups(canonical);
  if (v6) return `6${v6.map((g) => g.toString(16).padStart(4, "0")).join("")}${portPart}`;
  return `9${canonical}${portPart}`;
}

function ipv4Octets(text: string): number[] | undefined {
  const m = IPV4.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : undefined;
}

function ipv6Groups(text: string): number[] | undefined {
  if (!text.includes(":") || text.includes("%")) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? "", halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? "", true) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** Groups of one side of "::"; an embedded IPv4 tail is allowed only at the very end. */
function parseGroups(part: string, mayEndInV4: boolean): number[] | undefined {
  if (part === "") return [];
  const pieces = part.split(":");
  const groups: number[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] ?? "";
    if (HEX_GROUP.test(piece)) {
      groups.push(parseInt(piece, 16));
      continue;
    }
    const v4 = i === pieces.length - 1 && mayEndInV4 ? ipv4Octets(piece) : undefined;
    if (!v4) return undefined;
    groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
  }
  return groups;
}

function canonicalV6(groups: readonly number[]): string {
  // RFC 5952 §4.2: compress the longest run of two or more zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

function usableV4(octets: readonly number[]): { unusable?: string } {
  const [a = 0, b = 0] = octets;
  if (a === 0) return { unusable: "is unspecified" };
  if (a === 127) return { unusable: "is loopback" };
  if (a === 169 && b === 254) return { unusable: "is link-local" };
  if (a >= 224) return { unusable: "is multicast or reserved" };
  return {};
}

function usableV6(groups: readonly number[]): { unusable?: string } {
  const first = groups[0] ?? 0;
  if (groups.every((g) => g === 0)) return { unusable: "is unspecified" };
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) {
    return { unusable: "is loopback" };
  }
  if ((first & 0xffc0) === 0xfe80) return { unusable: "is link-local" };
  if ((first & 0xff00) === 0xff00) return { unusable: "is multicast" };
  return {};
}
