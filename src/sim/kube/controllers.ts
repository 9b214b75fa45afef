/**
 * The two controllers the simulator runs synchronously after writes: the CRD controller (serve the
 * new resource, mark the CRD Established, drop its objects when it is deleted) and namespace
 * cleanup (a deleted namespace takes its objects with it).
 */

import { crdResourceTypes, crdStatus } from "./crd_types.ts";
import { deepEqual, isObject } from "./json_value.ts";
import { formatTime } from "./kube_time.ts";
import type { ObjectStore } from "./object_store.ts";
import type { AfterWrite, Operations } from "./operations.ts";
import type { ResourceRegistry } from "./resource_registry.ts";
import type { KubeObject } from "./resource_type.ts";

/** What the controllers need; `ops` is read lazily because the operations call the controllers. */
export interface ControllerDeps {
  store: ObjectStore;
  registry: ResourceRegistry;
  ops: () => Operations;
  now: () => number;
  /** Ends the watches of a storage whose resource is no longer served. */
  closeWatches: (storage: string) => void;
}

function conditionsSummary(status: unknown): unknown {
  if (!isObject(status)) return undefined;
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  return {
    conditions: conditions.map((c) => [c.type, c.status, c.reason]),
    acceptedNames: status.acceptedNames,
    storedVersions: status.storedVersions,
  };
}

/** The after-write hook running both controllers. */
export function createControllers(deps: ControllerDeps): AfterWrite {
  const { store, registry, now } = deps;

  const establish = (crd: KubeObject) => {
    const name = crd.metadata.name!;
    registry.register(name, crdResourceTypes(crd));
    const wanted = crdStatus(crd, formatTime(now()));
    if (deepEqual(conditionsSummary(crd.status), conditionsSummary(wanted))) return;
    // Keep transition times of conditions that did not change.
    const before = isObject(crd.status) && Array.isArray(crd.status.conditions)
      ? crd.status.conditions.filter(isObject)
      : [];
    wanted.conditions = (wanted.conditions as Record<string, unknown>[]).map((c) => {
      const old = before.find((b) => b.type === c.type && b.status === c.status);
      return old ? { ...c, lastTransitionTime: old.lastTransitionTime } : c;
    });
    const crdType = registry.byPath("apiextensions.k8s.io", "v1", "customresourcedefinitions")!;
    deps.ops().update(crdType, undefined, name, { ...crd, status: wanted }, {
      subresource: "status",
    });
  };

  const dropCustomObjects = (crd: KubeObject) => {
    for (const rt of registry.unregister(crd.metadata.name!)) {
      for (const key of [...store.keys(rt.storage)]) store.remove(rt.storage, key);
      deps.closeWatches(rt.storage);
    }
  };

  const dropNamespace = (namespace: string) => {
    const storages = new Set(registry.all().filter((rt) => rt.namespaced).map((rt) => rt.storage));
    for (const storage of storages) {
      for (const key of store.keys(storage).filter((k) => k.startsWith(`${namespace}/`))) {
        store.remove(storage, key);
      }
    }
  };

  return (rt, type, obj) => {
    if (rt.group === "apiextensions.k8s.io" && rt.kind === "CustomResourceDefinition") {
      if (type === "DELETED") dropCustomObjects(obj);
      else establish(obj);
    } else if (rt.group === "" && rt.kind === "Namespace" && type === "DELETED") {
      dropNamespace(obj.metadata.name!);
    }
  };
}
