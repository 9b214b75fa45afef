/** Field-by-field copies between the SDK's read models and its *Details write models. */

/** The fields of `source` named in `fields` that are present and not null (OCI sends null for unset). */
export function copyFields<T>(source: unknown, fields: readonly (keyof T & string)[]): Partial<T> {
  const copy: Record<string, unknown> = {};
  if (typeof source !== "object" || source === null) return copy as Partial<T>;
  const record = source as Record<string, unknown>;
  for (const field of fields) {
    const value = record[field];
    if (value !== undefined && value !== null) copy[field] = value;
  }
  return copy as Partial<T>;
}

/** A present, non-null object field of a read model, else undefined. */
export function objectField(source: unknown, field: string): Record<string, unknown> | undefined {
  if (typeof source !== "object" || source === null) return undefined;
  const value = (source as Record<string, unknown>)[field];
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

/** Why a read backend cannot be used (no IP, bad port), or undefined if it can. */
export function unusableBackend(raw: unknown, index: number): string | undefined {
  const record = typeof raw === "object" && raw !== null ? raw as Record<string, unknown> : {};
  const label = typeof record.name === "string" && record.name !== ""
    ? `backend "${record.name}"`
    : `backend #${index + 1}`;
  if (typeof record.ipAddress !== "string" || record.ipAddress === "") {
    return `${label} has no IP address`;
  }
  const port = record.port;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    return `${label} has no valid port`;
  }
  return undefined;
}

/** The weight as read, or OCI's default of 1 when absent. */
export function weightOf(raw: Record<string, unknown>): number {
  return typeof raw.weight === "number" ? raw.weight : 1;
}
