/** Helpers shared by the structural-schema modules. */

import { isObject } from "./json_value.ts";

/** A node of an OpenAPI v3 structural schema. */
export type Schema = Record<string, unknown>;

/** `path.key`, or `key` at the root. */
export function child(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** The `properties` of a schema node. */
export function propertiesOf(schema: Schema): Record<string, Schema> {
  return isObject(schema.properties) ? schema.properties as Record<string, Schema> : {};
}
