import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Where an alert goes and how it is signed: the parts that must never be read off the database. */
export interface ReceiverSecret {
  url: string;
  /** The generic webhook's HMAC-SHA256 key. */
  signingKey?: string;
}

/** Format 1: version byte, 12-byte IV, 16-byte GCM tag, ciphertext of the JSON. */
const FORMAT = 1;

export class ReceiverKeyError extends Error {}

/**
 * Seals receivers' URLs and keys with AES-256-GCM under REACHLOG_SECRET_KEY, so a database dump
 * or a backup alone does not hand out Slack webhooks. The tag makes a tampered row fail loudly.
 */
export class ReceiverSealer {
  constructor(private readonly key: Buffer | undefined) {}

  seal(secret: ReceiverSecret): Buffer {
    const key = this.requireKey();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(secret), 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer): ReceiverSecret {
    const key = this.requireKey();
    if (sealed[0] !== FORMAT) throw new ReceiverKeyError(`sealed receiver: unknown format ${sealed[0]}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
      decipher.setAuthTag(sealed.subarray(13, 29));
      const text = Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as ReceiverSecret;
    } catch {
      throw new ReceiverKeyError('a receiver cannot be opened: REACHLOG_SECRET_KEY is not the key it was sealed with');
    }
  }

  private requireKey(): Buffer {
    if (!this.key) {
      throw new ReceiverKeyError(
        'REACHLOG_SECRET_KEY is not set: alert receivers are sealed with it (e.g. `openssl rand -base64 32`)',
      );
    }
    return this.key;
  }
}

/** What the API and the CLI show of a receiver's URL: its origin, never the path that is the credential. */
export function shownUrl(url: string): string {
  return `${new URL(url).origin}/…`;
}
