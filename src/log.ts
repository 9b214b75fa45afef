/**
 * Logging for every layer: LogTape loggers under ["lb-registrar", layer], one line per record in
 * text or JSON, and a redaction step in front of the sink so no key, token or signature is written.
 */

import {
  configure,
  getJsonLinesFormatter,
  getLogger as getLogtapeLogger,
  type Logger,
  type LogLevel,
  type LogRecord,
  reset,
  type Sink,
} from "@logtape/logtape";

export type { Logger, LogLevel, LogRecord, Sink };

/** Levels accepted by --log-level, lowest first. */
export const LOG_LEVELS: readonly LogLevel[] = Object.freeze([
  "trace",
  "debug",
  "info",
  "warning",
  "error",
  "fatal",
]);

/** Output formats accepted by --log-format. */
export const LOG_FORMATS = Object.freeze(["text", "json"] as const);
/** One line for people ("text") or JSON lines for collectors ("json"). */
export type LogFormat = typeof LOG_FORMATS[number];

/** Root category of every logger of the operator. */
export const ROOT_CATEGORY = "lb-registrar";

/** Where and how configureLogging() writes. */
export interface LoggingConfig {
  /** Lowest level written. */
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** Receives each finished line, newline included (main passes standard error). */
  readonly write?: (line: string) => void;
  /** Replaces the formatting writer, for tests; still behind redaction. */
  readonly sink?: Sink;
}

/** Routes every logger of the operator to one redacted sink; replaces any earlier configuration. */
export async function configureLogging(config: LoggingConfig): Promise<void> {
  const { level, format, write = (line: string) => console.error(line.trimEnd()) } = config;
  const formatter = format === "json" ? jsonLine : textLine;
  const sink = config.sink ?? ((record: LogRecord) => write(formatter(record)));
  await configure({
    reset: true,
    sinks: { main: redactingSink(sink) },
    loggers: [
      { category: [ROOT_CATEGORY], lowestLevel: level, sinks: ["main"] },
      // LogTape's own notices (e.g. a sink that threw) are worth a line, its info chatter is not.
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["main"] },
    ],
  });
}

/** Removes the configuration, so loggers drop records again (tests, and main at exit). */
export async function resetLogging(): Promise<void> {
  await reset();
}

/** The logger of one layer, e.g. getLogger("engine") → category ["lb-registrar", "engine"]. */
export function getLogger(layer: string): Logger {
  return getLogtapeLogger([ROOT_CATEGORY, layer]);
}

/** A sink that hands `sink` only records with secrets masked. */
export function redactingSink(sink: Sink): Sink {
  return (record) => sink(redactRecord(record));
}

const jsonLine = getJsonLinesFormatter({
  categorySeparator: ".",
  message: "rendered",
  properties: "flatten",
});

/** `2026-11-23T20:50:00.123Z INFO  engine: Registered 2 backends lbId=ocid1… backendSet=web`. */
function textLine(record: LogRecord): string {
  const time = new Date(record.timestamp).toISOString();
  const level = (record.level === "warning" ? "WARN" : record.level.toUpperCase()).padEnd(5);
  const category = record.category.slice(1).join(".") || record.category.join(".");
  const message = record.message
    .map((part, i) => i % 2 === 0 ? oneLine(String(part)) : textValue(part))
    .join("");
  const shown = new Set(placeholderKeys(record.rawMessage).map((key) => key.trim()));
  const fields = Object.entries(record.properties)
    .filter(([key]) => !shown.has(key))
    .map(([key, value]) => ` ${key}=${fieldValue(value)}`)
    .join("");
  return `${time} ${level} ${category}: ${message}${fields}\n`;
}

function textValue(value: unknown): string {
  if (typeof value === "string") return oneLine(value);
  if (value instanceof Error) return oneLine(`${value.name}: ${value.message}`);
  return compactJson(value);
}

function fieldValue(value: unknown): string {
  if (typeof value === "string") return /^[^\s"=\\]+$/.test(value) ? value : JSON.stringify(value);
  if (value instanceof Error) return JSON.stringify(`${value.name}: ${value.message}`);
  return compactJson(value);
}

function oneLine(text: string): string {
  // Escape control characters so a value can neither break the line nor send terminal codes.
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

function compactJson(value: unknown): string {
  // Redaction already cut cycles and depth, so this only meets trees.
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Error) return `${v.name}: ${v.message}`;
    return v;
  });
  return json === undefined ? String(value) : oneLine(json);
}

// --- Redaction ------------------------------------------------------------------------------

/** What a masked value becomes. */
export const REDACTED = "[REDACTED]";

/** Property names whose values are never written, at any depth. */
export const SENSITIVE_KEY =
  /passphrase|privateKey|private_key|token|authorization|signature|secret/i;

/** Objects deeper than this are cut: a log line is no place for a whole SDK response. */
const MAX_DEPTH = 8;

/** Patterns of secrets inside free text, each with its replacement. */
const SECRET_TEXT: ReadonlyArray<readonly [RegExp, string]> = [
  // Any PEM block (private keys, but certificates too), even one cut off before its END line.
  [/-----BEGIN[\s\S]*?(?:-----END[^\n-]*-----|$)/g, "[REDACTED PEM]"],
  [/\bBearer\s+[^\s"',;]+/gi, `Bearer ${REDACTED}`],
  // The HTTP signature header OCI requests carry: Signature version="1",keyId="…",signature="…".
  [/\bSignature\s+[A-Za-z]+="[^"]*"(?:\s*,\s*[A-Za-z]+="[^"]*")*/g, `Signature ${REDACTED}`],
  [/\bsignature="[^"]*"/gi, `signature="${REDACTED}"`],
];

/** `text` with PEM blocks, bearer tokens and signature values masked. */
export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_TEXT) result = result.replace(pattern, replacement);
  return result;
}

/** A copy of `value` with secrets in text masked and sensitive keys blanked, cut at MAX_DEPTH. */
export function redactValue(value: unknown): unknown {
  return redactWithin(value, 0, []);
}

/** A copy of `record` whose message, template and properties hold no secrets. */
export function redactRecord(record: LogRecord): LogRecord {
  const keys = placeholderKeys(record.rawMessage);
  const message = record.message.map((part, i) => {
    if (i % 2 === 0) return typeof part === "string" ? redactText(part) : redactValue(part);
    const key = keys[(i - 1) / 2];
    return key !== undefined && SENSITIVE_KEY.test(key) ? masked(part) : redactValue(part);
  });
  return {
    ...record,
    rawMessage: redactTemplate(record.rawMessage),
    message,
    properties: redactWithin(record.properties, 0, []) as Record<string, unknown>,
  };
}

function redactTemplate(raw: string | TemplateStringsArray): string | TemplateStringsArray {
  if (typeof raw === "string") return redactText(raw);
  const parts = raw.map(redactText);
  return Object.assign(parts, { raw: parts }) as unknown as TemplateStringsArray;
}

/** Placeholder keys of a LogTape template in order, scanned as LogTape does ("{{" escapes). */
function placeholderKeys(raw: string | TemplateStringsArray): string[] {
  if (typeof raw !== "string") return [];
  const keys: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== "{") continue;
    if (raw[i + 1] === "{") {
      i++;
      continue;
    }
    const close = raw.indexOf("}", i + 1);
    if (close === -1) continue;
    keys.push(raw.slice(i + 1, close));
    i = close;
  }
  return keys;
}

function masked(value: unknown): unknown {
  // Absence and yes/no say nothing secret and help when reading a log ("passphrase: null").
  return value === null || value === undefined || typeof value === "boolean" ? value : REDACTED;
}

function redactWithin(value: unknown, depth: number, ancestors: object[]): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date || value instanceof RegExp) return value;
  if (value instanceof URL) return redactText(value.href);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return `[${value.byteLength} bytes]`; // raw bytes may be key material
  }
  if (depth >= MAX_DEPTH) return "[Truncated]";
  if (ancestors.includes(value)) return "[Circular]";
  const inner = (v: unknown) => redactWithin(v, depth + 1, [...ancestors, value]);
  const entry = (key: string, v: unknown) => SENSITIVE_KEY.test(key) ? masked(v) : inner(v);
  if (Array.isArray(value)) return value.map(inner);
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [k, typeof k === "string" ? entry(k, v) : inner(v)]));
  }
  if (value instanceof Set) return new Set([...value].map(inner));
  if (value instanceof Headers) return redactWithin(Object.fromEntries(value), depth, ancestors);
  if (value instanceof Error) return redactError(value, entry);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, entry(k, v)]));
}

/** A copy of `error` of the same class, so formatters still print it as an error. */
function redactError(error: Error, entry: (key: string, v: unknown) => unknown): Error {
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  for (const key of Object.getOwnPropertyNames(error)) {
    // V8 keeps `stack` behind an accessor: read it through the original, store plain data.
    const { enumerable = false } = Object.getOwnPropertyDescriptor(error, key) ?? {};
    const value = entry(key, (error as unknown as Record<string, unknown>)[key]);
    Object.defineProperty(copy, key, { value, enumerable, writable: true, configurable: true });
  }
  return copy;
}
