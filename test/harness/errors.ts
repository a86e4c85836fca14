/** Failures of the sandbox hosts harness: a code, the context needed to act, and the cause. */
export type SandboxErrorCode =
  | 'NotRoot' // the sandbox needs root (namespaces, overlay mounts, chroot)
  | 'ImageMissing' // a cached layer is missing: run `bash test/harness/ensure.sh`
  | 'CommandFailed' // a helper command (ssh-keygen, nsenter, umount, ensure.sh) exited non-zero
  | 'StartFailed' // a host's init or sshd exited before it accepted connections
  | 'NotReady' // a host did not accept SSH connections in time
  | 'UnknownHost' // no host of that name in this fleet
  | 'HostStopped' // the operation needs a running host
  | 'BadState' // a run dir's state file is missing or unreadable, or mounts under it would not go
  | 'BadArgument'; // an option the harness does not understand

export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  readonly code: SandboxErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: SandboxErrorCode, message: string, context: Record<string, unknown> = {}, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = Object.freeze({ ...context });
  }
}
