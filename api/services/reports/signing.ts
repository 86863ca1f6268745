import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/**
 * A detached signature: written beside the report as `<file>.sig`. It names the key by its
 * fingerprint and the file by its SHA-256, so a mismatch says which of the two is wrong.
 */
export interface DetachedSignature {
  reachlogSignature: 1;
  algorithm: 'ed25519';
  /** SHA-256 of the public key (SPKI DER), hex: which key signed. */
  keyFingerprint: string;
  /** SHA-256 of the signed file, hex. */
  sha256: string;
  /** The ed25519 signature of the file's bytes, base64. */
  signature: string;
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/** A key as the environment holds it: PEM text, or DER in base64 (one line, easier in env files). */
function keyInput<T extends 'pkcs8' | 'spki'>(text: string, type: T) {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return { key: trimmed, format: 'pem' as const };
  return { key: Buffer.from(trimmed, 'base64'), format: 'der' as const, type };
}

export function privateKeyOf(text: string, variable = 'REACHLOG_REPORT_SIGNING_KEY'): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(keyInput(text, 'pkcs8'));
  } catch (e) {
    throw new SigningKeyError(`${variable}: not a private key (PEM or base64 PKCS#8 DER): ${(e as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`${variable}: an ${key.asymmetricKeyType} key; reports are signed with ed25519`);
  }
  return key;
}

export function publicKeyOf(text: string, variable = 'REACHLOG_REPORT_PUBLIC_KEY'): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(keyInput(text, 'spki'));
  } catch (e) {
    throw new SigningKeyError(`${variable}: not a public key (PEM or base64 SPKI DER): ${(e as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`${variable}: an ${key.asymmetricKeyType} key; reports are signed with ed25519`);
  }
  return key;
}

export function fingerprint(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex');
}

export function signBytes(bytes: Uint8Array, privateKey: KeyObject): DetachedSignature {
  return {
    reachlogSignature: 1,
    algorithm: 'ed25519',
    keyFingerprint: fingerprint(createPublicKey(privateKey)),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    signature: sign(null, bytes, privateKey).toString('base64'),
  };
}

export type VerifyOutcome = { ok: true; keyFingerprint: string } | { ok: false; reason: string };

/** Checks a file's bytes against its detached signature, with the key the verifier trusts. */
export function verifyBytes(bytes: Uint8Array, sig: unknown, publicKey: KeyObject): VerifyOutcome {
  const s = sig as Partial<DetachedSignature> | null;
  if (!s || s.reachlogSignature !== 1 || s.algorithm !== 'ed25519' || typeof s.signature !== 'string') {
    return { ok: false, reason: 'not a reachlog report signature (expected reachlogSignature 1, algorithm ed25519)' };
  }
  const trusted = fingerprint(publicKey);
  if (s.keyFingerprint !== trusted) {
    return { ok: false, reason: `signed by key ${s.keyFingerprint}, not by the trusted key ${trusted}` };
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (s.sha256 !== digest)
    return {
      ok: false,
      reason: `the file's SHA-256 is ${digest}, the signature is for ${s.sha256}: the file was changed`,
    };
  if (!verify(null, bytes, publicKey, Buffer.from(s.signature, 'base64'))) {
    return { ok: false, reason: 'the signature does not match the file' };
  }
  return { ok: true, keyFingerprint: trusted };
}

/** A new key pair for REACHLOG_REPORT_SIGNING_KEY and _PUBLIC_KEY, as PEM. */
export function newKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}
