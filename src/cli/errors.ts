// The ways a command ends badly, each with its own exit code.

/** The command line itself is wrong (unknown flag, missing argument): exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The user's input is wrong (diagnostics already printed, unreadable file, bad weights): exit 1. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** The user stopped the command (Ctrl-C) and it ended cleanly: exit 130, as shells report SIGINT. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

export const EXIT = { ok: 0, user: 1, usage: 2, internal: 70, interrupted: 130 } as const;
