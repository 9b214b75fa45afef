/** Why a file could not be read, in a few words for an error message (never its content). */
export function fileErrorReason(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.NotCapable) return "no read permission (run with --allow-read)";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (error instanceof Error) return error.message.split("\n")[0] ?? error.name;
  return String(error);
}
