/** A key-parsing error's message without any key material (ssh2 messages do not quote keys, but be sure). */
export function keyFingerprintFree(raw: unknown): string {
  const message = raw instanceof Error ? raw.message : String(raw);
  return message.replace(/-----BEGIN[\s\S]*?-----END[^-]*-----/g, '[key]').slice(0, 200);
}
