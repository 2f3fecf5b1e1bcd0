// Parsers for numeric command-line options: the whole value must be the number (no `2x`, no `1.5` where an integer
// is meant, no NaN), within its range. A bad value is a commander InvalidArgumentError, which names the flag, the
// value and what was expected, and ends the process with exit code 2 before anything is locked or started.
import { InvalidArgumentError } from "commander";

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** An integer option in [min, max]. */
export function integerOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const v = value.trim();
    const n = INTEGER.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value.slice(0, 40)}".`);
    }
    return n;
  };
}

/** A decimal option in [min, max] (seconds, fractions). */
export function numberOption(min: number, max: number, unit = ""): (value: string) => number {
  return (value) => {
    const v = value.trim();
    const n = DECIMAL.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a number${unit ? ` of ${unit}` : ""} from ${min} to ${max}, got "${value.slice(0, 40)}".`);
    }
    return n;
  };
}

/** Exit code of a command line that cofail cannot accept (a bad option value, as for a bad pipeline.yaml). */
export const USAGE_EXIT = 2;
