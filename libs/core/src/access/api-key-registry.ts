import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ApiKeyRecord, hashSecret, mintApiKey, parseApiKey, secretMatches } from './api-key';
import { isRole, Role } from './roles';

export interface Principal {
  /** The key's public id (the 16 hex digits after `alk_`): what events and exports name as the writer. */
  keyId: string;
  keyName: string;
  roles: Role[];
  sources?: string[];
}

export class ApiKeyConfigurationError extends Error {
  readonly name = 'ApiKeyConfigurationError';
}

function validateRecords(raw: unknown, origin: string): ApiKeyRecord[] {
  if (!Array.isArray(raw)) throw new ApiKeyConfigurationError(`${origin} must hold a JSON array of keys`);
  return raw.map((entry, i) => {
    const record = entry as Partial<ApiKeyRecord>;
    const where = `${origin}[${i}]`;
    if (typeof record.id !== 'string' || typeof record.hash !== 'string' || typeof record.name !== 'string') {
      throw new ApiKeyConfigurationError(`${where} needs string id, name and hash`);
    }
    if (!Array.isArray(record.roles) || record.roles.length === 0 || !record.roles.every((role) => isRole(role))) {
      throw new ApiKeyConfigurationError(`${where}.roles must be a non-empty list of emitter, helpdesk, reviewer, auditor, admin`);
    }
    return record as ApiKeyRecord;
  });
}

/** Readers never see a half-written key file: write aside, fsync, rename. */
function writeFileAtomically(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/**
 * The keys the ledger accepts, stored only as salted scrypt hashes. A key
 * that verified once is remembered by a SHA-256 of the whole key, so scrypt
 * (deliberately slow) runs once per key per process, not once per request.
 */
export class ApiKeyRegistry {
  private readonly verified = new Map<string, Principal>();
  /** Hashed like a real key, and compared against when a key id is unknown: an unknown id then costs as long as a wrong secret. */
  private dummyHash: Promise<string> | undefined;

  constructor(private records: ApiKeyRecord[]) {}

  static load(options: { file: string; inline?: string }): ApiKeyRegistry {
    const fromEnv = options.inline ? validateRecords(parseJson(options.inline, 'LEDGER_API_KEYS'), 'LEDGER_API_KEYS') : [];
    const fromFile = existsSync(options.file)
      ? validateRecords(parseJson(readFileSync(options.file, 'utf8'), options.file), options.file)
      : [];
    return new ApiKeyRegistry([...fromEnv, ...fromFile]);
  }

  get size(): number {
    return this.records.length;
  }

  /** True when this exact key verified before: answering it costs no scrypt. */
  isRemembered(presented: string): boolean {
    return this.verified.has(createHash('sha256').update(presented).digest('hex'));
  }

  async authenticate(presented: string | undefined): Promise<Principal | undefined> {
    if (!presented) return undefined;
    const fingerprint = createHash('sha256').update(presented).digest('hex');
    const known = this.verified.get(fingerprint);
    if (known) return known;
    const parsed = parseApiKey(presented);
    if (!parsed) return undefined;
    const record = this.records.find((candidate) => candidate.id === parsed.id);
    if (!record) {
      // Same work as a wrong secret for a real id, so timing does not tell which key ids exist.
      this.dummyHash ??= hashSecret(randomBytes(32).toString('base64url'));
      await secretMatches(parsed.secret, await this.dummyHash);
      return undefined;
    }
    if (!(await secretMatches(parsed.secret, record.hash))) return undefined;
    const principal: Principal = {
      keyId: record.id,
      keyName: record.name,
      roles: record.roles,
      ...(record.sources && { sources: record.sources }),
    };
    this.verified.set(fingerprint, principal);
    return principal;
  }

  /** Adds a key to the file and returns the full key, which is not stored anywhere. */
  static async createInFile(file: string, name: string, roles: Role[], sources?: string[]): Promise<string> {
    const existing = existsSync(file) ? validateRecords(parseJson(readFileSync(file, 'utf8'), file), file) : [];
    if (existing.some((record) => record.name === name))
      throw new ApiKeyConfigurationError(`a key named "${name}" already exists in ${file}`);
    const { key, record } = await mintApiKey(name, roles, sources);
    writeFileAtomically(file, JSON.stringify([...existing, record], null, 2) + '\n');
    return key;
  }
}

function parseJson(text: string, origin: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiKeyConfigurationError(`${origin} is not valid JSON: ${(error as Error).message}`);
  }
}
