/**
 * Checks an OpenSSH public host key line (`type base64 [comment]`) beyond its pattern: the base64
 * must decode to an SSH wire-format key blob whose embedded type is the declared one and whose
 * fields have the sizes that type requires (ed25519: 32 bytes; ECDSA: the named curve and an
 * uncompressed point of its size; RSA: exponent and a modulus of at least 1024 bits; the FIDO
 * `sk-` types also their application string). Pure; returns a sentence or undefined.
 */

/** Reads SSH `string`s (uint32 length + bytes) from a blob. */
class BlobReader {
  readonly #bytes: Uint8Array;
  #offset = 0;
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }
  next(): Uint8Array | undefined {
    const bytes = this.#bytes;
    if (this.#offset + 4 > bytes.length) return undefined;
    const length =
      (bytes[this.#offset] ?? 0) * 2 ** 24 +
      ((bytes[this.#offset + 1] ?? 0) << 16) +
      ((bytes[this.#offset + 2] ?? 0) << 8) +
      (bytes[this.#offset + 3] ?? 0);
    const start = this.#offset + 4;
    if (start + length > bytes.length) return undefined;
    this.#offset = start + length;
    return bytes.subarray(start, start + length);
  }
  get done(): boolean {
    return this.#offset === this.#bytes.length;
  }
}

const ASCII = new TextDecoder('ascii', { fatal: false });
const CURVE_POINT_BYTES: Readonly<Record<string, number>> = { nistp256: 65, nistp384: 97, nistp521: 133 };

function decodeBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** Bits of an mpint (big-endian, possibly with a leading zero byte). */
function mpintBits(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length && bytes[index] === 0) index++;
  if (index === bytes.length) return 0;
  return (bytes.length - index - 1) * 8 + Math.floor(Math.log2(bytes[index] as number)) + 1;
}

function checkFields(type: string, reader: BlobReader): string | undefined {
  if (type === 'ssh-ed25519' || type === 'sk-ssh-ed25519@openssh.com') {
    if (reader.next()?.length !== 32) return 'its ed25519 public key is not 32 bytes';
    if (type.startsWith('sk-') && reader.next() === undefined) return 'its FIDO application string is missing';
    return undefined;
  }
  if (type === 'ssh-rsa') {
    const exponent = reader.next();
    const modulus = reader.next();
    if (exponent === undefined || modulus === undefined || mpintBits(exponent) === 0) return 'its RSA exponent or modulus is missing';
    if (mpintBits(modulus) < 1024) return `its RSA modulus has ${mpintBits(modulus)} bits; at least 1024 are required`;
    return undefined;
  }
  const ecdsa = /^(?:sk-)?ecdsa-sha2-(nistp256|nistp384|nistp521)(?:@openssh\.com)?$/.exec(type);
  if (ecdsa !== null) {
    const curve = ecdsa[1] as string;
    const named = reader.next();
    if (named === undefined || ASCII.decode(named) !== curve) return `its curve is not ${curve}`;
    const point = reader.next();
    if (point === undefined || point.length !== CURVE_POINT_BYTES[curve] || point[0] !== 4)
      return `its ${curve} point is not an uncompressed point of ${CURVE_POINT_BYTES[curve]} bytes`;
    if (type.startsWith('sk-') && reader.next() === undefined) return 'its FIDO application string is missing';
    return undefined;
  }
  return `key type ${type} is not supported`;
}

/** Why the host key line is not a valid key of its type, or undefined when it is. */
export function hostKeyProblem(line: string): string | undefined {
  const [type, base64] = line.trim().split(/\s+/);
  if (type === undefined || base64 === undefined) return 'must be "type base64", as in known_hosts without the host name';
  const blob = decodeBase64(base64);
  if (blob === undefined) return 'its key data is not valid base64';
  const reader = new BlobReader(blob);
  const embedded = reader.next();
  if (embedded === undefined) return 'its key data is not an SSH public key';
  const embeddedType = ASCII.decode(embedded);
  if (embeddedType !== type) return `is declared ${type} but its key data is a ${JSON.stringify(embeddedType.slice(0, 40))} key`;
  const problem = checkFields(type, reader);
  if (problem !== undefined) return problem;
  if (!reader.done) return 'its key data has trailing bytes';
  return undefined;
}
