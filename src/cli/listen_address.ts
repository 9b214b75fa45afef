/** Listen addresses of the metrics and health servers: `:8080`, `127.0.0.1:8080`, `[::1]:8080` or `off`. */

import { UsageError } from "./errors.ts";

/** Where a server listens; `hostname` is what Deno.serve takes (IPv6 without brackets). */
export interface ListenAddress {
  readonly hostname: string;
  readonly port: number;
}

/** Hostname used for `:port`: every IPv4 interface, as a Pod expects. */
export const ANY_HOST = "0.0.0.0";

const FORM = /^(\[[^\]]*\]|[^:[\]]*):(\d{1,5})$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const DNS_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** The address `raw` names for `flag`, or null for `off`; throws UsageError otherwise. */
export function parseListenAddress(flag: string, raw: string): ListenAddress | null {
  if (raw === "off") return null;
  const match = FORM.exec(raw);
  const host = match ? hostnameOf(match[1] ?? "") : null;
  const port = Number(match?.[2]);
  if (host === null || !(port <= 65_535)) {
    throw new UsageError(
      `Cannot parse ${flag} ${JSON.stringify(raw)}: use [host]:port with a port of 0-65535 ` +
        `(:8080, 127.0.0.1:8080, [::1]:8080) or off`,
      { flag },
    );
  }
  return Object.freeze({ hostname: host, port });
}

/** Whether two servers on `a` and `b` would fight over one port (port 0 picks a free one). */
export function sharesPort(a: ListenAddress, b: ListenAddress): boolean {
  if (a.port === 0 || a.port !== b.port) return false;
  const wildcard = (host: string) => host === ANY_HOST || host === "::";
  return a.hostname === b.hostname || wildcard(a.hostname) || wildcard(b.hostname);
}

function hostnameOf(host: string): string | null {
  if (host === "") return ANY_HOST;
  if (host.startsWith("[")) return ipv6Of(host.slice(1, -1));
  const octets = IPV4.exec(host);
  if (octets) return octets.slice(1).every((octet) => Number(octet) <= 255) ? host : null;
  // A name made only of digits and dots is a malformed IPv4 address, not a DNS name.
  return DNS_NAME.test(host) && !/^[\d.]+$/.test(host) ? host : null;
}

function ipv6Of(host: string): string | null {
  if (!/^[0-9a-f:.]+$/i.test(host) || !host.includes(":")) return null;
  try {
    return new URL(`http://[${host}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}
