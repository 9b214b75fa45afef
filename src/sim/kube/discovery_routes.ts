/** Answers for `/version`, health, discovery and OpenAPI paths, cached per resource-table revision. */

import { discoveryContentType, negotiateDiscovery } from "./accept.ts";
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  compareVersions,
} from "./discovery.ts";
import { documentHash, groupVersionDocument, openApiIndex } from "./openapi.ts";
import type { Target } from "./request_target.ts";
import { jsonResponse, pageNotFound } from "./respond.ts";
import type { ResourceRegistry } from "./resource_registry.ts";

/** The `/version` answer; minor 29+ makes the kubectl dispatcher run a kubectl that needs no protobuf. */
export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

/** What the discovery routes need. */
export interface DiscoveryDeps {
  registry: ResourceRegistry;
  version: ServerVersion;
  serverAddress: () => string;
}

/** The discovery routes with their document cache. */
export function createDiscoveryRoutes(
  deps: DiscoveryDeps,
): (target: Target, request: Request, query: URLSearchParams) => Response | undefined {
  const { registry, version } = deps;
  let cachedRevision = -1;
  const cache = new Map<string, { text: string; hash: string }>();

  const cached = (key: string, build: () => unknown) => {
    if (cachedRevision !== registry.revision) {
      cache.clear();
      cachedRevision = registry.revision;
    }
    let entry = cache.get(key);
    if (!entry) {
      const text = JSON.stringify(build());
      entry = { text, hash: documentHash(text) };
      cache.set(key, entry);
    }
    return entry;
  };

  const groupVersions = () => {
    const seen = new Map<string, { group: string; version: string }>();
    for (const rt of registry.all()) {
      seen.set(`${rt.group}/${rt.version}`, { group: rt.group, version: rt.version });
    }
    return [...seen.values()].sort((a, b) =>
      a.group.localeCompare(b.group) || compareVersions(a.version, b.version)
    );
  };

  const gvDoc = (group: string, version: string) =>
    cached(`openapi:${group}/${version}`, () => groupVersionDocument(registry, group, version));

  const text = (body: string, status: number, headers: Record<string, string>) =>
    new Response(body, { status, headers: { "Cache-Control": "no-cache, private", ...headers } });

  return (target, request, query) => {
    switch (target.kind) {
      case "root":
        return jsonResponse({
          paths: [
            "/api",
            "/api/v1",
            "/apis",
            "/healthz",
            "/livez",
            "/openapi/v3",
            "/readyz",
            "/version",
          ],
        });
      case "version":
        return jsonResponse({
          ...version,
          gitCommit: "0000000000000000000000000000000000000000",
          gitTreeState: "clean",
          buildDate: "2025-01-01T00:00:00Z",
          goVersion: "go1.23.4",
          compiler: "gc",
          platform: "linux/amd64",
        });
      case "health":
        return text("ok", 200, { "Content-Type": "text/plain; charset=utf-8" });
      case "api":
      case "apis": {
        const core = target.kind === "api";
        const format = negotiateDiscovery(request.headers.get("Accept"));
        if (format === "legacy") {
          return jsonResponse(core ? apiVersions(deps.serverAddress()) : apiGroupList(registry));
        }
        const doc = cached(
          `${target.kind}:${format}`,
          () => aggregatedDiscovery(registry, core, format),
        );
        return text(doc.text, 200, {
          "Content-Type": discoveryContentType(format),
          Vary: "Accept",
          Etag: `"${doc.hash}"`,
        });
      }
      case "apiGroup": {
        const group = apiGroup(registry, target.group);
        return group ? jsonResponse(group) : pageNotFound();
      }
      case "groupVersion":
        return jsonResponse(apiResourceList(registry, target.group, target.version));
      case "openapiIndex": {
        const entries = groupVersions().map(({ group, version }) => ({
          path: group === "" ? `api/${version}` : `apis/${group}/${version}`,
          hash: gvDoc(group, version).hash,
        }));
        // The real server labels this JSON text/plain (wire notes §1.4).
        return text(JSON.stringify(openApiIndex(entries)), 200, {
          "Content-Type": "text/plain; charset=utf-8",
        });
      }
      case "openapiGroupVersion": {
        if (!registry.servesGroupVersion(target.group, target.version)) return pageNotFound();
        const doc = gvDoc(target.group, target.version);
        const asked = query.get("hash");
        if (asked !== null && asked !== doc.hash) {
          const path = target.group === ""
            ? `api/${target.version}`
            : `apis/${target.group}/${target.version}`;
          return text("", 301, { Location: `/openapi/v3/${path}?hash=${doc.hash}` });
        }
        const caching = asked === null ? "no-cache, private" : "public, immutable";
        return new Response(doc.text, {
          status: 200,
          headers: {
            "Content-Type": "application/json",
            Etag: `"${doc.hash}"`,
            "Cache-Control": caching,
          },
        });
      }
      default:
        return undefined;
    }
  };
}
