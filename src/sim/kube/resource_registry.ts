/** The live resource table: built-ins plus whatever the stored CRDs register. */

import { builtinResources } from "./builtin_resources.ts";
import { apiVersionOf, type ResourceType } from "./resource_type.ts";

/** Lookup and registration of served resources. */
export interface ResourceRegistry {
  /** Every served resource, built-ins first, then CRD-registered ones in registration order. */
  all(): readonly ResourceType[];
  /** The resource served at `/apis/<group>/<version>/<plural>` (group "" is `/api/v1`). */
  byPath(group: string, version: string, plural: string): ResourceType | undefined;
  /** The resource whose objects carry this apiVersion and kind. */
  byKind(apiVersion: string, kind: string): ResourceType | undefined;
  /** Whether any resource is served in this group version. */
  servesGroupVersion(group: string, version: string): boolean;
  /** Registers the resources of one CRD, replacing what it registered before. */
  register(owner: string, types: ResourceType[]): void;
  /** Removes what one CRD registered and returns it. */
  unregister(owner: string): ResourceType[];
  /** Bumped on every change, so discovery and OpenAPI documents can be cached. */
  readonly revision: number;
}

/** A registry holding the built-in kinds. */
export function createResourceRegistry(): ResourceRegistry {
  const builtins = builtinResources();
  const custom = new Map<string, ResourceType[]>();
  let revision = 1;
  let flat: ResourceType[] = builtins;

  const rebuild = () => {
    flat = [...builtins, ...[...custom.values()].flat()];
    revision++;
  };

  return {
    all: () => flat,
    byPath: (group, version, plural) =>
      flat.find((rt) => rt.group === group && rt.version === version && rt.plural === plural),
    byKind: (apiVersion, kind) =>
      flat.find((rt) => apiVersionOf(rt) === apiVersion && rt.kind === kind),
    servesGroupVersion: (group, version) =>
      flat.some((rt) => rt.group === group && rt.version === version),
    register(owner, types) {
      custom.set(owner, types);
      rebuild();
    },
    unregister(owner) {
      const types = custom.get(owner) ?? [];
      custom.delete(owner);
      rebuild();
      return types;
    },
    get revision() {
      return revision;
    },
  };
}
