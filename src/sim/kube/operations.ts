/**
 * The write and read semantics of the API server over the object store: create, update (PUT),
 * patch, delete and get, with generation, the status split, finalizers, optimistic concurrency
 * and per-kind admission (wire notes §3 and §4).
 */

import {
  asObject,
  IMMUTABLE_META,
  ordered,
  orderedMeta,
  specOf,
  withoutRv,
} from "./_object_shape.ts";
import { admitBuiltin, checkKind, nameRuleOf } from "./admission.ts";
import { admitCustom, type FieldValidation } from "./custom_schema.ts";
import { deepEqual } from "./json_value.ts";
import { formatTime } from "./kube_time.ts";
import { generateName, nameCauses } from "./names.ts";
import type { ObjectStore } from "./object_store.ts";
import { applyPatch } from "./patch_body.ts";
import { type KubeObject, objectKey, type ObjectMeta, type ResourceType } from "./resource_type.ts";
import {
  alreadyExists,
  badRequest,
  conflict,
  forbiddenValue,
  invalid,
  type KubeStatus,
  namespaceNotFound,
  notFound,
  requiredValue,
} from "./status_error.ts";
import { served } from "./watch_event.ts";

/** Options shared by writes (from the query string). */
export interface WriteOptions {
  subresource?: "status";
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
}

/** The result of a write: the served object, whether it was created, and `Warning` texts. */
export interface WriteResult {
  object: KubeObject;
  created: boolean;
  warnings: string[];
}

/** The body of a DELETE (metav1.DeleteOptions). */
export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** What a change hook sees after a committed write. */
export type AfterWrite = (
  rt: ResourceType,
  type: "ADDED" | "MODIFIED" | "DELETED",
  obj: KubeObject,
) => void;

/** Dependencies of the operations. */
export interface OperationsDeps {
  store: ObjectStore;
  now: () => number;
  nodePortRange: readonly [number, number];
  afterWrite: AfterWrite;
}

/** The API verbs on objects. */
export interface Operations {
  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject;
  create(
    rt: ResourceType,
    namespace: string | undefined,
    body: unknown,
    options?: WriteOptions,
  ): WriteResult;
  update(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options?: WriteOptions,
  ): WriteResult;
  patch(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    contentType: string,
    body: string,
    options?: WriteOptions,
  ): WriteResult;
  remove(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): KubeObject | KubeStatus;
}

// Metadata only the server sets; a create ignores what the client sent.
const SERVER_SET_META = [
  "resourceVersion",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "selfLink",
  "managedFields",
  "generation",
];

/** Operations over a store. */
export function createOperations(deps: OperationsDeps): Operations {
  const { store, now, nodePortRange, afterWrite } = deps;

  const serviceContext = {
    nodePortRange,
    services: () => {
      const keys = store.keys("services");
      return keys.map((key) => store.get("services", key)!);
    },
  };

  const stored = (rt: ResourceType, namespace: string | undefined, name: string) =>
    store.get(rt.storage, objectKey(rt.namespaced ? namespace : undefined, name));

  const admit = (
    rt: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
    options: WriteOptions,
  ): { object: KubeObject; warnings: string[] } => {
    if (rt.custom) return admitCustom(rt, obj, old, options);
    return { object: admitBuiltin(rt, obj, old, serviceContext), warnings: [] };
  };

  const toStorage = (rt: ResourceType, obj: KubeObject) => rt.toStorage ? rt.toStorage(obj) : obj;

  const create: Operations["create"] = (rt, namespace, body, options = {}) => {
    const obj = asObject(rt, body);
    checkKind(rt, obj);
    const meta: ObjectMeta = { ...obj.metadata };
    if (rt.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw badRequest(
          "the namespace of the provided object does not match the namespace sent on the request",
        );
      }
      meta.namespace = namespace ?? meta.namespace;
      if (!meta.namespace) {
        const what = `${rt.kind} "${meta.name ?? meta.generateName ?? ""}"`;
        throw badRequest(
          `Cannot create ${what}: metadata.namespace is required for a namespaced kind`,
        );
      }
      if (!store.get("namespaces", meta.namespace)) throw namespaceNotFound(meta.namespace);
    } else {
      delete meta.namespace;
    }
    if (!meta.name) {
      if (!meta.generateName) {
        throw invalid(rt, "", [requiredValue("metadata.name", "name or generateName is required")]);
      }
      meta.name = generateName(meta.generateName);
    }
    const nameProblems = nameCauses(meta.name, nameRuleOf(rt));
    if (nameProblems.length > 0) throw invalid(rt, meta.name, nameProblems);

    for (const key of SERVER_SET_META) delete meta[key];
    meta.uid = crypto.randomUUID();
    meta.creationTimestamp = formatTime(now());
    if (rt.generation) meta.generation = 1;
    let next = ordered(rt, obj, meta);
    // Status is dropped on create where a controller owns it (custom resources, CRDs).
    if (rt.hasStatus && (rt.custom || rt.kind === "CustomResourceDefinition")) delete next.status;
    const admitted = admit(rt, next, undefined, options);
    next = ordered(rt, admitted.object, admitted.object.metadata);
    // Decoding and validation come first on the real server; the name clash is found on storage.
    if (stored(rt, meta.namespace, meta.name)) throw alreadyExists(rt, meta.name);
    if (options.dryRun) return { object: next, created: true, warnings: admitted.warnings };
    const saved = store.put(rt.storage, objectKey(meta.namespace, meta.name), toStorage(rt, next));
    afterWrite(rt, "ADDED", saved);
    return { object: served(rt, saved), created: true, warnings: admitted.warnings };
  };

  // Shared tail of PUT and PATCH: `proposed` is the full new object in served form.
  const commitUpdate = (
    rt: ResourceType,
    current: KubeObject,
    proposed: KubeObject,
    options: WriteOptions,
  ): WriteResult => {
    checkKind(rt, proposed);
    const name = current.metadata.name!;
    const rv = proposed.metadata.resourceVersion;
    if (rv !== undefined && rv !== "" && rv !== current.metadata.resourceVersion) {
      throw conflict(rt, name);
    }

    let next: KubeObject;
    let meta: ObjectMeta;
    if (options.subresource === "status") {
      // Custom resources ignore everything but status on /status; built-ins also take metadata (wire notes §3).
      meta = rt.custom ? { ...current.metadata } : { ...proposed.metadata };
      next = { ...current };
      if (proposed.status === undefined) delete next.status;
      else next.status = proposed.status;
    } else {
      meta = { ...proposed.metadata };
      next = { ...proposed };
      if (rt.hasStatus) {
        if (current.status === undefined) delete next.status;
        else next.status = current.status;
      }
    }
    for (const key of IMMUTABLE_META) meta[key] = current.metadata[key];
    meta.resourceVersion = current.metadata.resourceVersion;
    if (rt.generation) meta.generation = current.metadata.generation;
    else delete meta.generation;
    if (meta.generateName === undefined) delete meta.generateName;

    if (current.metadata.deletionTimestamp) {
      const before = current.metadata.finalizers ?? [];
      const added = (meta.finalizers ?? []).filter((f) => !before.includes(f));
      if (added.length > 0) {
        throw invalid(rt, name, [forbiddenValue(
          "metadata.finalizers",
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${
            added.map((f) => JSON.stringify(f)).join(", ")
          }}`,
        )]);
      }
    }
    next = ordered(rt, next, meta);
    const admitted = admit(rt, next, current, options);
    next = ordered(rt, admitted.object, admitted.object.metadata);
    if (rt.generation && !deepEqual(specOf(rt, next), specOf(rt, current))) {
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    const result = (object: KubeObject): WriteResult => ({
      object,
      created: false,
      warnings: admitted.warnings,
    });
    // A write that changes nothing is not stored and keeps the RV, as on the real server.
    if (deepEqual(withoutRv(next), withoutRv(current))) return result(current);
    if (options.dryRun) return result(next);
    const key = objectKey(current.metadata.namespace, name);
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
      // Removing the last finalizer of a terminating object deletes it; the reply keeps the old RV.
      const last = store.remove(rt.storage, key)!;
      afterWrite(rt, "DELETED", last);
      return result(next);
    }
    const saved = store.put(rt.storage, key, toStorage(rt, next));
    afterWrite(rt, "MODIFIED", saved);
    return result(served(rt, saved));
  };

  const get: Operations["get"] = (rt, namespace, name) => {
    const obj = stored(rt, namespace, name);
    if (!obj) throw notFound(rt, name);
    return served(rt, obj);
  };

  return {
    get,
    create,
    update(rt, namespace, name, body, options = {}) {
      const proposed = asObject(rt, body);
      if (proposed.metadata.name !== undefined && proposed.metadata.name !== name) {
        throw badRequest(
          `the name of the object (${proposed.metadata.name}) does not match the name on the URL (${name})`,
        );
      }
      const current = stored(rt, namespace, name);
      if (!current) {
        if (rt.allowCreateOnUpdate && options.subresource === undefined) {
          return create(
            rt,
            namespace,
            { ...proposed, metadata: { ...proposed.metadata, name } },
            options,
          );
        }
        throw notFound(rt, name);
      }
      const rv = proposed.metadata.resourceVersion;
      if ((rv === undefined || rv === "") && !rt.allowUnconditionalUpdate) {
        throw invalid(rt, name, [{
          reason: "FieldValueInvalid",
          message: "Invalid value: 0x0: must be specified for an update",
          field: "metadata.resourceVersion",
        }]);
      }
      return commitUpdate(rt, served(rt, current), proposed, options);
    },
    patch(rt, namespace, name, contentType, body, options = {}) {
      const current = stored(rt, namespace, name);
      const patched = applyPatch(rt, current ? served(rt, current) : undefined, contentType, body);
      if (!current) {
        if (patched.createIfMissing) {
          return create(rt, namespace, {
            ...patched.object,
            metadata: { ...patched.object.metadata, name },
          }, options);
        }
        throw notFound(rt, name);
      }
      return commitUpdate(rt, served(rt, current), asObject(rt, patched.object), options);
    },
    remove(rt, namespace, name, options = {}) {
      const current = stored(rt, namespace, name);
      if (!current) throw notFound(rt, name);
      const meta = current.metadata;
      const pre = options.preconditions ?? {};
      if (pre.uid !== undefined && pre.uid !== meta.uid) {
        throw conflict(
          rt,
          name,
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`,
        );
      }
      if (pre.resourceVersion !== undefined && pre.resourceVersion !== meta.resourceVersion) {
        throw conflict(
          rt,
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`,
        );
      }
      const key = objectKey(meta.namespace, name);
      if ((meta.finalizers ?? []).length > 0) {
        // With finalizers a delete only marks the object; a second delete changes nothing.
        if (meta.deletionTimestamp || options.dryRun) return served(rt, current);
        const marked: ObjectMeta = {
          ...meta,
          deletionTimestamp: formatTime(now()),
          deletionGracePeriodSeconds: 0,
        };
        if (typeof meta.generation === "number" && meta.generation > 0) {
          marked.generation = meta.generation + 1;
        }
        const saved = store.put(rt.storage, key, { ...current, metadata: orderedMeta(marked) });
        afterWrite(rt, "MODIFIED", saved);
        return served(rt, saved);
      }
      const details: Record<string, unknown> = { name };
      if (rt.group !== "") details.group = rt.group;
      details.kind = rt.plural;
      details.uid = meta.uid;
      if (!options.dryRun) {
        const last = store.remove(rt.storage, key)!;
        afterWrite(rt, "DELETED", last);
      }
      return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details };
    },
  };
}
