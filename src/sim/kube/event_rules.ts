/** Event validation for core/v1 and events.k8s.io/v1, with the real namespace rules (wire notes §4). */

import { isObject } from "./json_value.ts";
import { microTimeProblem } from "./kube_time.ts";
import { nameCauses } from "./names.ts";
import type { KubeObject } from "./resource_type.ts";
import { badRequest, type FieldCause, invalidValue, requiredValue } from "./status_error.ts";

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function checkMicroTime(obj: KubeObject, field: string, version: string): void {
  const problem = microTimeProblem(obj[field]);
  if (problem) {
    throw badRequest(`Event in version "${version}" cannot be handled as a Event: ${problem}`);
  }
}

/** The core/v1 Event with server defaults, plus the causes of anything invalid. */
export function admitCoreEvent(obj: KubeObject): { object: KubeObject; causes: FieldCause[] } {
  checkMicroTime(obj, "eventTime", "v1");
  const causes: FieldCause[] = [];
  const involved = isObject(obj.involvedObject) ? obj.involvedObject : {};
  const namespace = obj.metadata.namespace ?? "";
  const involvedNamespace = text(involved.namespace);
  // A cluster-scoped involvedObject (no namespace) is accepted only in "default".
  const allowed = involvedNamespace === ""
    ? namespace === "default"
    : involvedNamespace === namespace;
  if (!allowed) {
    causes.push(
      invalidValue("involvedObject.namespace", involvedNamespace, "does not match event.namespace"),
    );
  }
  if (obj.eventTime !== undefined && obj.eventTime !== null) {
    if (!text(obj.reportingComponent)) causes.push(requiredValue("reportingController"));
    if (!text(obj.reportingInstance)) causes.push(requiredValue("reportingInstance"));
    if (!text(obj.action)) causes.push(requiredValue("action"));
  }
  const object: KubeObject = {
    ...obj,
    eventTime: obj.eventTime ?? null,
    reportingComponent: obj.reportingComponent ?? "",
    reportingInstance: obj.reportingInstance ?? "",
  };
  return { object, causes };
}

/** Checks an events.k8s.io/v1 Event (in its served form). */
export function admitEventsV1Event(obj: KubeObject): { object: KubeObject; causes: FieldCause[] } {
  checkMicroTime(obj, "eventTime", "events.k8s.io/v1");
  const causes: FieldCause[] = [];
  const generate = obj.metadata.generateName;
  if (generate) {
    // generateName must itself be a DNS subdomain once a trailing dash is allowed.
    const masked = generate.endsWith("-") ? `${generate.slice(0, -1)}a` : generate;
    causes.push(
      ...nameCauses(masked, "subdomain", "metadata.generateName").map((c) => ({
        ...c,
        message: c.message.replace(JSON.stringify(masked), JSON.stringify(generate)),
      })),
    );
  }
  if (obj.eventTime === undefined || obj.eventTime === null) {
    causes.push(requiredValue("eventTime"));
  }
  for (const field of ["reportingController", "reportingInstance", "action", "reason"]) {
    if (!text(obj[field])) causes.push(requiredValue(field));
  }
  if (obj.type !== "Normal" && obj.type !== "Warning") {
    causes.push(invalidValue("type", "", `has invalid value: ${text(obj.type)}`));
  }
  if (text(obj.note).length > 1024) {
    causes.push({
      reason: "FieldValueTooLong",
      message: "Too long: may not be more than 1024 bytes",
      field: "note",
    });
  }
  const regarding = isObject(obj.regarding) ? obj.regarding : {};
  const regardingNamespace = text(regarding.namespace);
  const namespace = obj.metadata.namespace ?? "";
  const allowed = regardingNamespace === ""
    ? namespace === "default" || namespace === "kube-system"
    : regardingNamespace === namespace;
  if (!allowed) {
    causes.push(
      invalidValue(
        "involvedObject.namespace",
        regardingNamespace,
        "does not match event.namespace",
      ),
    );
  }
  return { object: obj, causes };
}
