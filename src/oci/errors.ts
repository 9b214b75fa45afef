/** The one error type the OCI port throws, classified once by the adapter. */

/**
 * What went wrong, as the engine needs to know it:
 * - `conflict`: 409, the LB is busy with another work request (retry soon)
 * - `precondition`: 412, the backend set changed since it was read (re-read, retry)
 * - `throttled`: 429 (retry with backoff)
 * - `transient`: 5xx or a network failure (retry with backoff)
 * - `lb-not-found` / `backend-set-not-found`: 404 (user must fix; retried slowly)
 * - `auth`: 401 or a key OCI refuses (user must fix; client is rebuilt)
 * - `credentials`: the key material cannot be used locally (bad PEM, wrong passphrase)
 * - `invalid`: 400, OCI refused the request body
 * - `work-request-failed`: the work request ended FAILED or CANCELED
 * - `timeout`: the work request did not finish in time
 */
export type OciErrorKind =
  | "conflict"
  | "precondition"
  | "throttled"
  | "transient"
  | "lb-not-found"
  | "backend-set-not-found"
  | "auth"
  | "credentials"
  | "invalid"
  | "work-request-failed"
  | "timeout";

export interface OciErrorOptions {
  kind: OciErrorKind;
  status?: number;
  /** OCI's service code, e.g. "Conflict", "NotAuthorizedOrNotFound". */
  code?: string;
  opcRequestId?: string;
  cause?: unknown;
}

/** An OCI call failed; `kind` decides retries, the message is for a person. */
export class OciError extends Error {
  override name = "OciError";
  readonly kind: OciErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly opcRequestId: string | undefined;

  constructor(message: string, options: OciErrorOptions) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
    this.status = options.status;
    this.code = options.code;
    this.opcRequestId = options.opcRequestId;
  }
}
