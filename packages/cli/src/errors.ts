/** Errors the CLI reports as one line (exit code 1) rather than as a crash. */
export class UserError extends Error {
  override name = "UserError";
}
