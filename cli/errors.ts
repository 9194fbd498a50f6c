// One place decides how a failure reaches the terminal: a single line, never a stack trace, unless
// RETIS_DEBUG asks for it.
import { RetisOptionError } from "../events/errors.js";

/** A failure the user caused or can fix (bad arguments, bad input); printed as one line. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function reportAndExit(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`retis: ${message.split("\n")[0]}`);
  if (process.env.RETIS_DEBUG && err instanceof Error && err.stack) console.error(err.stack);
  // a wrong collect option is the library's check of a command-line option: bad usage too
  process.exit(err instanceof UsageError || err instanceof RetisOptionError ? 2 : 1);
}
