/** OCI-style error answers: `{ code, message }` with the service code OCI uses for each status. */

/** OCI's common service code for each status (docs: API Errors). */
export const DEFAULT_ERROR_CODES: Readonly<Record<number, string>> = {
  400: "InvalidParameter",
  401: "NotAuthenticated",
  404: "NotAuthorizedOrNotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  412: "NoEtagMatch",
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

/** An error the API answers with; thrown by handlers and turned into a response by the pipeline. */
export class SimApiError extends Error {
  override name = "SimApiError";
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string | undefined, message: string) {
    super(message);
    this.status = status;
    this.code = code ?? DEFAULT_ERROR_CODES[status] ?? "Unknown";
  }
}

/** 400 with the given code (InvalidParameter, MissingParameter, CannotParseRequest). */
export function badRequest(message: string, code = "InvalidParameter"): SimApiError {
  return new SimApiError(400, code, message);
}
