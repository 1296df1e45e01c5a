import { CliError } from './cli-error.js';

/** A whole-number option's value (`--port`, `--calls`, `--retain-days`, …), at least `min`. */
export function wholeNumber(value: string, flag: string, min = 0): number {
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new CliError(`${flag} must be a whole number${min > 0 ? ` ≥ ${min}` : ''}, not '${value}'`);
  }
  return Number(value);
}
