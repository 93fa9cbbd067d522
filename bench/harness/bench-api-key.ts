import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { BenchContext } from './bench-context';

/** Every role the ledger knows, so one key reaches every route a scenario drives. */
const ALL_ROLES = ['emitter', 'helpdesk', 'reviewer', 'auditor', 'admin'];
/** The ledger's key format and hash parameters (apps/ledger-api/src/access/api-key.ts); bench code may not import the app. */
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };

export interface BenchApiKey {
  /** `Authorization` header for every request to the ledger. */
  headers: Record<string, string>;
  /** The record for `LEDGER_API_KEYS`, holding only the hash. */
  registryJson: string;
}

/** One API key per run, minted as `ledger keys create` would, handed to each server through its environment. */
export function benchApiKey(context: BenchContext): Promise<BenchApiKey> {
  return context.memo('bench-api-key', async () => {
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const salt = randomBytes(16);
    const derive = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
    const derived = await derive(secret, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
    const hash = ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), derived.toString('base64url')].join('$');
    const record = { id, name: 'bench', roles: ALL_ROLES, hash, createdAt: new Date().toISOString() };
    return { headers: { authorization: `Bearer alk_${id}_${secret}` }, registryJson: JSON.stringify([record]) };
  });
}
