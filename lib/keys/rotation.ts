/**
 * The durable parts of a key rotation: the side profile that holds a new key until it is proven, and the bound on
 * waiting for IAM to accept it.
 *
 * @module
 */

/** The environment variable bounding the wait for a new key to work, in seconds (default 60). */
export const PROPAGATION_TIMEOUT_VARIABLE = "STC_ROTATE_PROPAGATION_TIMEOUT";
/** The default of {@linkcode PROPAGATION_TIMEOUT_VARIABLE}, in seconds. */
export const DEFAULT_PROPAGATION_TIMEOUT_S = 60;

/** Suffix of the side profile that holds a new key until it is proven and moved into the profile. */
export const PENDING_SUFFIX = ".stc-new-key";

/**
 * The key that marks the side profile as stc's (its value is the profile being rotated), so that a profile of
 * the user's that happens to have the side profile's name is never taken over or removed.
 */
export const PENDING_MARKER = "stc_rotation_of";

/** The side profile of `profile` holding a new key not yet proven. */
export function pendingProfileName(profile: string): string {
  return `${profile}${PENDING_SUFFIX}`;
}
