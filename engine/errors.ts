// Error kinds the command line maps to distinct exit codes (cli/index.ts): a usage error (a flag, a target, an id
// that does not exist) is the caller's to fix on the command line; a data error is in a file the command read.
// SpecError (./spec.ts) is the data error of pipeline.yaml.

/** The command line asked for something that does not exist or cannot be combined: exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A file the command read is malformed or inconsistent (it names the file, line, key): exit 4. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataError";
  }
}
