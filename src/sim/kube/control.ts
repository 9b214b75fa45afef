/**
 * The simulator's TypeScript control surface over objects: create/update/patch/delete/get/list of
 * any served kind (same semantics and watch events as the HTTP API, no auth or injected faults),
 * plus node helpers that act like a kubelet.
 */

import { isObject } from "./json_value.ts";
import { formatTime } from "./kube_time.ts";
import { listObjects } from "./list_query.ts";
import { nodeObject, type NodeOptions, readyCondition } from "./node_object.ts";
import type { ObjectStore } from "./object_store.ts";
import type { Operations } from "./operations.ts";
import type { ResourceRegistry } from "./resource_registry.ts";
import type { KubeObject, ResourceType } from "./resource_type.ts";
import { badRequest } from "./status_error.ts";

/** Addresses one object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Patch flavours, by their short names. */
export type PatchType = "merge" | "json" | "strategic" | "apply";

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
};

/** Object operations of the control surface; failures throw StatusError like the HTTP API answers. */
export interface SimObjects {
  /** Creates an object; a `status` in it is written right after, as a controller would. */
  create(obj: KubeObject): KubeObject;
  /** Replaces an object (or its status); without a resourceVersion the write is unconditional. */
  update(obj: KubeObject, options?: { subresource?: "status" }): KubeObject;
  patch(
    ref: ObjectRef,
    patch: unknown,
    options?: { type?: PatchType; subresource?: "status" },
  ): KubeObject;
  /** Deletes an object: returns it when finalizers only marked it, undefined when it is gone. */
  delete(ref: ObjectRef): KubeObject | undefined;
  get(ref: ObjectRef): KubeObject | undefined;
  list(
    apiVersion: string,
    kind: string,
    options?: { namespace?: string; labelSelector?: string; fieldSelector?: string },
  ): Promise<KubeObject[]>;
}

/** Node helpers acting like kubelets. */
export interface SimNodes {
  /** Creates a Ready node with an InternalIP (10.0.x.y) unless the options say otherwise. */
  addNode(name: string, options?: NodeOptions): KubeObject;
  removeNode(name: string): void;
  /** Sets the Ready condition (True/False) and its transition time. */
  setNodeReady(name: string, ready: boolean): KubeObject;
  /** Moves every condition's lastHeartbeatTime forward and changes nothing else. */
  heartbeat(name: string): KubeObject;
}

/** What the control surface needs. */
export interface ControlDeps {
  ops: Operations;
  store: ObjectStore;
  registry: ResourceRegistry;
  now: () => number;
}

const NODE: ObjectRef = { apiVersion: "v1", kind: "Node", name: "" };

/** The object and node control surface. */
export function createControl(deps: ControlDeps): SimObjects & SimNodes {
  const { ops, store, registry, now } = deps;
  let nodeSequence = 0;

  const typeOf = (apiVersion: string | undefined, kind: string | undefined): ResourceType => {
    const rt = apiVersion && kind ? registry.byKind(apiVersion, kind) : undefined;
    if (!rt) {
      throw badRequest(`Cannot find kind "${kind}" in "${apiVersion}": no such resource is served`);
    }
    return rt;
  };

  const get = (ref: ObjectRef): KubeObject | undefined => {
    const rt = typeOf(ref.apiVersion, ref.kind);
    try {
      return structuredClone(ops.get(rt, ref.namespace, ref.name));
    } catch {
      return undefined;
    }
  };

  const update: SimObjects["update"] = (obj, options = {}) => {
    const rt = typeOf(obj.apiVersion, obj.kind);
    const name = obj.metadata.name ?? "";
    const body = structuredClone(obj);
    if (!body.metadata.resourceVersion) {
      const current = ops.get(rt, obj.metadata.namespace, name);
      body.metadata.resourceVersion = current.metadata.resourceVersion;
    }
    return structuredClone(ops.update(rt, obj.metadata.namespace, name, body, options).object);
  };

  const patch: SimObjects["patch"] = (ref, body, options = {}) => {
    const rt = typeOf(ref.apiVersion, ref.kind);
    const type = PATCH_CONTENT_TYPES[options.type ?? "merge"];
    const subresource = options.subresource;
    return structuredClone(
      ops.patch(rt, ref.namespace, ref.name, type, JSON.stringify(body), { subresource }).object,
    );
  };

  const nodeRef = (name: string): ObjectRef => ({ ...NODE, name });

  const conditionsOf = (name: string) => {
    const node = ops.get(typeOf("v1", "Node"), undefined, name);
    const status = isObject(node.status) ? node.status : {};
    return Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  };

  const patchConditions = (
    name: string,
    change: (c: Record<string, unknown>) => Record<string, unknown>,
  ) => {
    const conditions = conditionsOf(name);
    return patch(nodeRef(name), { status: { conditions: conditions.map(change) } }, {
      type: "merge",
      subresource: "status",
    });
  };

  // Heartbeats keep whole seconds, so each one moves at least a second past the previous one;
  // otherwise two heartbeats in the same second would be a no-op write.
  const nextHeartbeat = (previous: unknown): string => {
    const before = typeof previous === "string" ? Date.parse(previous) : NaN;
    const at = Number.isNaN(before) ? now() : Math.max(now(), before + 1000);
    return formatTime(at);
  };

  return {
    create(obj) {
      const rt = typeOf(obj.apiVersion, obj.kind);
      const created = ops.create(rt, obj.metadata.namespace, structuredClone(obj)).object;
      if (rt.hasStatus && obj.status !== undefined && created.status === undefined) {
        return update({ ...created, status: obj.status }, { subresource: "status" });
      }
      return structuredClone(created);
    },
    update,
    patch,
    delete(ref) {
      const rt = typeOf(ref.apiVersion, ref.kind);
      const result = ops.remove(rt, ref.namespace, ref.name);
      return result.kind === "Status" ? undefined : structuredClone(result as KubeObject);
    },
    get,
    async list(apiVersion, kind, options = {}) {
      const rt = typeOf(apiVersion, kind);
      const page = await listObjects(store, rt, options, 0);
      return page.items.map((item) => structuredClone(item));
    },
    addNode(name, options = {}) {
      const node = nodeObject(name, options, nodeSequence++, now());
      return structuredClone(ops.create(typeOf("v1", "Node"), undefined, node).object);
    },
    removeNode(name) {
      ops.remove(typeOf("v1", "Node"), undefined, name);
    },
    setNodeReady(name, ready) {
      const at = formatTime(now());
      const conditions = conditionsOf(name);
      if (!conditions.some((c) => c.type === "Ready")) {
        return patch(nodeRef(name), {
          status: { conditions: [...conditions, readyCondition(ready, at)] },
        }, {
          type: "merge",
          subresource: "status",
        });
      }
      return patchConditions(name, (c) => {
        if (c.type !== "Ready") return c;
        const wanted = ready ? "True" : "False";
        const fresh = readyCondition(ready, at);
        return c.status === wanted
          ? { ...c, lastHeartbeatTime: nextHeartbeat(c.lastHeartbeatTime) }
          : fresh;
      });
    },
    heartbeat(name) {
      return patchConditions(
        name,
        (c) => ({ ...c, lastHeartbeatTime: nextHeartbeat(c.lastHeartbeatTime) }),
      );
    },
  };
}
