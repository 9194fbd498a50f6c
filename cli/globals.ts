// Retis's global options (those before the subcommand), handed to every command.
export interface Globals {
  /** `-p, --profile`: names of the profiles applied (their arguments are already in the command's). */
  profiles: string[];
  /** `--kconf`: the kernel configuration file to read instead of auto-detection. */
  kconf?: string;
  /** `--log-level`: error, warn, info (default), debug or trace. */
  logLevel: string;
}
