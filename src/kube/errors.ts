/** The one error type the Kubernetes port throws, classified once by the adapter. */

export type KubeErrorKind =
  | "not-found"
  | "key-missing"
  | "namespace-not-allowed"
  | "forbidden"
  | "conflict"
  | "invalid"
  | "transient";

/** A Kubernetes call failed; `kind` decides what the engine does, the message is for a person. */
export class KubeError extends Error {
  override name = "KubeError";
  readonly kind: KubeErrorKind;
  readonly status: number | undefined;

  constructor(message: string, options: { kind: KubeErrorKind; status?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
    this.status = options.status;
  }
}
