/** Content negotiation on `Accept`: plain JSON, server-side Table, metadata-only, aggregated discovery. */

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

function parseAccept(header: string | null): MediaRange[] {
  if (!header) return [{ type: "*/*", params: {}, q: 1 }];
  const ranges = header.split(",").map((part, index) => {
    const [type = "", ...rest] = part.split(";").map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const param of rest) {
      const eq = param.indexOf("=");
      if (eq > 0) params[param.slice(0, eq).trim().toLowerCase()] = param.slice(eq + 1).trim();
    }
    const q = params.q === undefined ? 1 : Number(params.q);
    return { type: type.toLowerCase(), params, q: Number.isNaN(q) ? 1 : q, index };
  });
  // Stable sort by q: clients list their preferences in order.
  return ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.index - b.index);
}

const isJson = (r: MediaRange) =>
  (r.type === "application/json" || r.type === "application/*" || r.type === "*/*") &&
  r.params.as === undefined;

/** How an object or list is answered. */
export type ObjectFormat = "json" | "table" | "metadata";

/** The format the client prefers for objects and lists, or undefined when none is acceptable (406). */
export function negotiateObject(header: string | null): ObjectFormat | undefined {
  for (const range of parseAccept(header)) {
    if (range.type !== "application/json") {
      if (isJson(range)) return "json";
      continue;
    }
    const { as, g, v } = range.params;
    if (as === undefined) return "json";
    if (g !== "meta.k8s.io" || (v !== "v1" && v !== "v1beta1")) continue;
    if (as === "Table") return "table";
    if (as === "PartialObjectMetadataList" || as === "PartialObjectMetadata") return "metadata";
  }
  return undefined;
}

/** Which discovery document `/api` and `/apis` answer with. */
export type DiscoveryFormat = "v2" | "v2beta1" | "legacy";

/** Aggregated discovery (v2 or v2beta1) when asked for, else the legacy documents. */
export function negotiateDiscovery(header: string | null): DiscoveryFormat {
  for (const range of parseAccept(header)) {
    const { as, g, v } = range.params;
    if (
      range.type === "application/json" && as === "APIGroupDiscoveryList" &&
      g === "apidiscovery.k8s.io"
    ) {
      if (v === "v2") return "v2";
      if (v === "v2beta1") return "v2beta1";
      continue;
    }
    if (isJson(range) || range.type === "application/json") return "legacy";
  }
  return "legacy";
}

/** The Content-Type of an aggregated discovery answer. */
export function discoveryContentType(format: "v2" | "v2beta1"): string {
  return `application/json;g=apidiscovery.k8s.io;v=${format};as=APIGroupDiscoveryList`;
}
