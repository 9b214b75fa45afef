/** Server-side `meta.k8s.io/v1` Table answers for `kubectl get` (wire notes §1.2). */

import { AGE_COLUMN, builtinColumns, type CellColumn, NAME_COLUMN } from "./builtin_columns.ts";
import { compileJsonPath } from "./json_path.ts";
import { ageOf } from "./kube_time.ts";
import type { KubeObject, PrinterColumn, ResourceType } from "./resource_type.ts";

/** Which object each row carries (`includeObject`). */
export type IncludeObject = "None" | "Metadata" | "Object";

// A custom column's cell: the first JSONPath result, typed by the column type; dates become ages.
function customCell(column: PrinterColumn): CellColumn["cell"] {
  const query = compileJsonPath(column.jsonPath ?? "");
  return (obj, now) => {
    const results = query(obj);
    if (results.length === 0) return null;
    const value = results.length === 1 ? results[0] : results.map(String).join(",");
    switch (column.type) {
      case "date":
        return ageOf(value, now);
      case "integer":
        return typeof value === "number" && Number.isInteger(value) ? value : null;
      case "number":
        return typeof value === "number" ? value : null;
      case "boolean":
        return typeof value === "boolean" ? value : null;
      default:
        return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
    }
  };
}

function columnsOf(rt: ResourceType): CellColumn[] {
  if (!rt.custom) return builtinColumns(rt.group, rt.kind);
  if (!rt.columns || rt.columns.length === 0) return [NAME_COLUMN, AGE_COLUMN];
  return [NAME_COLUMN, ...rt.columns.map((column) => ({ column, cell: customCell(column) }))];
}

function partial(obj: KubeObject): KubeObject {
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
}

/** A Table for some objects; `listMeta` is the list's metadata (or the single object's RV). */
export function toTable(
  rt: ResourceType,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  now: number,
  include: IncludeObject = "Metadata",
): Record<string, unknown> {
  const columns = columnsOf(rt);
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: columns.map((c) => c.column),
    rows: objects.map((obj) => {
      const row: Record<string, unknown> = { cells: columns.map((c) => c.cell(obj, now)) };
      if (include === "Metadata") row.object = partial(obj);
      else if (include === "Object") row.object = obj;
      return row;
    }),
  };
}

/** The metadata-only form of a list (`as=PartialObjectMetadataList`). */
export function toPartialList(
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
): Record<string, unknown> {
  return {
    kind: "PartialObjectMetadataList",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    items: objects.map(partial),
  };
}

/** The metadata-only form of one object (`as=PartialObjectMetadata`). */
export function toPartial(obj: KubeObject): KubeObject {
  return partial(obj);
}
