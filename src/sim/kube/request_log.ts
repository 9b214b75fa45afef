/** A bounded log of the API requests the simulator answered, for test assertions. */

/** One answered request. */
export interface RequestRecord {
  time: number;
  method: string;
  /** Path without the query. */
  path: string;
  /** The query string, without "?". */
  query: string;
  status: number;
  watch: boolean;
  contentType?: string;
  accept?: string;
  userAgent?: string;
  /** Request body of writes (truncated to 64 KiB). */
  body?: string;
}

/** The log. */
export interface RequestLog {
  record(entry: RequestRecord): void;
  readonly entries: readonly RequestRecord[];
  clear(): void;
}

/** A log keeping the newest `limit` requests. */
export function createRequestLog(limit: number): RequestLog {
  let entries: RequestRecord[] = [];
  return {
    record(entry) {
      entries.push(entry);
      // Trim in batches so a busy benchmark does not shift the array on every request.
      if (entries.length > limit * 1.25) entries = entries.slice(entries.length - limit);
    },
    get entries() {
      return entries.length > limit ? entries.slice(entries.length - limit) : entries;
    },
    clear() {
      entries = [];
    },
  };
}
