/**
 * The process environment as stc reads it: a snapshot taken once at start (cli/main.ts), passed down explicitly so
 * that tests can give their own.
 *
 * @module
 */

/** Environment variables by name; `undefined` when unset. */
export type Env = Readonly<Record<string, string | undefined>>;
