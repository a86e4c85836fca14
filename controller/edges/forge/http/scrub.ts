import { stripCredentials } from '../../../errors.js';

/** Removes every secret (and its base64 / URL-encoded forms) and `user:pass@` from a text. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = stripCredentials(text);
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) {
      out = out.split(form).join('[redacted]');
    }
  }
  return out;
}
