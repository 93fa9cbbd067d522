import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Role } from './roles';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

/** scrypt cost; RFC 7914's interactive-login parameters. */
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;
/** `alk_<key id>_<secret>`: the id finds the record, only the secret is hashed. */
const KEY_FORMAT = /^alk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyRecord {
  id: string;
  name: string;
  roles: Role[];
  /** CloudEvents `source` values an emitter key may write; absent means any. */
  sources?: string[];
  /** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
  hash: string;
  createdAt: string;
}

export interface ParsedApiKey {
  id: string;
  secret: string;
}

export function parseApiKey(presented: string): ParsedApiKey | undefined {
  const match = KEY_FORMAT.exec(presented);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const derived = await scrypt(secret, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), derived.toString('base64url')].join('$');
}

export async function secretMatches(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const derived = await scrypt(secret, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return derived.length === expected.length && timingSafeEqual(derived, expected);
}

/** A new key: the full key is shown once; only the record (with the hash) is kept. */
export async function mintApiKey(
  name: string,
  roles: Role[],
  sources?: string[],
  now: Date = new Date(),
): Promise<{ key: string; record: ApiKeyRecord }> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const record: ApiKeyRecord = {
    id,
    name,
    roles,
    ...(sources && sources.length > 0 && { sources }),
    hash: await hashSecret(secret),
    createdAt: now.toISOString(),
  };
  return { key: `alk_${id}_${secret}`, record };
}
