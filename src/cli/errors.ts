/** A bad command line: main prints its message on one line and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
  /** The flag at fault, e.g. "--resync", or null when the problem is not one flag. */
  readonly flag: string | null;

  constructor(message: string, options: { flag?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.flag = options.flag ?? null;
  }
}
