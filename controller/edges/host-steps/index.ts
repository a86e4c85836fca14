/**
 * The host sequence's edge steps (issue 10): each a small function with a typed outcome, no policy
 * decision and no state writing. The engine records an intent before and the outcome after each,
 * and applies the Ring's onTimeout/onFailure to them.
 *   1 state:    PackageManager.readState (lock wait, broken-DB refusal, boot id)
 *   2 preHook:  runPreHook                → ok | failed | timed-out
 *   3 packages: PackageManager.refreshMetadata, .simulate → core checkTransaction → .apply
 *   4 verify:   PackageManager.installedVersions → core verifyVersions
 *   5 reboot:   PackageManager.rebootRequired, rebootHost → rebooted (new boot id) | timed-out | command-failed
 *   6 health:   runHealthChecks (edges/health) → passed | failed | timed-out, with the signal
 *   rollback:   reinstallPrevious → reinstalled | nothing-offered | refused | failed (+ notOffered)
 */
export { boundedOutput, MAX_OUTPUT_CHARS } from './command-output.js';
export { type PreHookInput, type PreHookOutcome, runPreHook } from './pre-hook.js';
export { DEFAULT_REBOOT_COMMAND, type RebootInput, type RebootOutcome, rebootHost } from './reboot-host.js';
export { type ReinstallOutcome, reinstallPrevious } from './reinstall-previous.js';
export { healthCheckInputOf, preHookInputOf, RING_STEP_DEFAULTS, rebootInputOf } from './ring-inputs.js';
