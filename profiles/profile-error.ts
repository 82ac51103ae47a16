// The profile subsystem's errors, as classes with a stable `code` (undici style). A
// ProfileError is the author's mistake in a profile file: its message is one line naming
// the file (and line), the JSON pointer and what is wrong, which the CLI prints as a usage
// error (exit 2).

export class ProfileError extends Error {
  readonly code = 'profile_invalid'
  override name = 'ProfileError'

  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly problem: string,
    readonly line?: number,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${pointer || '/'}: ${problem}`)
  }
}

/** `--profile NAME` names no built-in profile and no file. */
export class UnknownProfileError extends Error {
  readonly code = 'profile_unknown'
  override name = 'UnknownProfileError'
}

/**
 * A request that cannot be said on the profile's wire: the operation is unmapped, or the
 * request carries something the wire call has no place for. Verify ends the case as not
 * applicable with this reason.
 */
export class InexpressibleError extends Error {
  readonly code = 'profile_inexpressible'
  override name = 'InexpressibleError'
}
