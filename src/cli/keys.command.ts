import { Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { ApiKeyStore, type ApiKey, type IssuedApiKey } from '../access/api-key.store';
import { ROLES, RoleSchema, type Role } from '../access/roles';
import { loadConfig } from '../config';
import { DataDirLockedError } from '../eventstore/errors';
import { openInfrastructure } from '../eventstore/infrastructure';
import { RemoteApiError, serviceHeaders } from './remote-projections-api';

/** What the key commands need: the store itself, or the running service's admin routes. */
interface KeysApi {
  create(name: string, roles: Role[]): Promise<IssuedApiKey>;
  list(): Promise<ApiKey[]>;
  revoke(id: string): Promise<ApiKey | undefined>;
}

/** `/admin/keys` of the running service, with SUPPLIER_TASKS_API_KEY (an admin key). */
class RemoteKeysApi implements KeysApi {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {}

  create = (name: string, roles: Role[]) =>
    this.call<IssuedApiKey>('POST', '/admin/keys', { name, roles });
  list = () => this.call<ApiKey[]>('GET', '/admin/keys');
  revoke = (id: string) => this.call<ApiKey | undefined>('DELETE', `/admin/keys/${id}`);

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: serviceHeaders(this.apiKey, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 404 && method === 'DELETE') return undefined as T;
    if (!response.ok) {
      const hint = response.status === 401 ? ' (set SUPPLIER_TASKS_API_KEY to an admin key)' : '';
      throw new RemoteApiError(`${method} ${path}: ${response.status} ${text}${hint}`);
    }
    return JSON.parse(text) as T;
  }
}

/** Opens the store here, or, when the running service owns DATA_DIR, goes through its API. */
async function withKeys<T>(fn: (api: KeysApi) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let infra;
  try {
    infra = await openInfrastructure(config);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    const url = process.env.SERVICE_URL || `http://${config.host}:${config.port}`;
    console.error(
      `${config.dataDir} is owned by the running service (pid ${error.ownerPid}): using ${url}`,
    );
    return fn(new RemoteKeysApi(url, config.apiKey));
  }
  try {
    return await fn(await ApiKeyStore.open(infra.sql));
  } finally {
    await infra.close();
  }
}

const parseRole = (value: string, previous: Role[] = []): Role[] => {
  const role = RoleSchema.safeParse(value);
  if (!role.success) throw new InvalidArgumentError(`one of ${ROLES.join(', ')}`);
  return [...new Set([...previous, role.data])];
};

const parseKeyId = (value: string): string => {
  if (!z.uuid().safeParse(value).success) throw new InvalidArgumentError('a key id (uuid)');
  return value;
};

const describeKey = (key: ApiKey): string =>
  [
    key.id,
    key.name,
    key.roles.join(','),
    `created ${key.createdAt}`,
    key.revokedAt === null ? 'live' : `revoked ${key.revokedAt}`,
  ].join('  ');

export function keysCommand(): Command {
  const keys = new Command('keys').description('API keys: who may call the service, for which job');
  keys
    .command('create')
    .description('make a key; its secret is printed once, and only its SHA-256 is kept')
    .addOption(
      new Option('--role <role>', `a role (repeatable): ${ROLES.join(', ')}`)
        .argParser(parseRole)
        .makeOptionMandatory(),
    )
    .requiredOption('--name <name>', 'who holds it: every event it writes names it as the actor')
    .action(async (options: { role: Role[]; name: string }) => {
      const key = await withKeys((api) => api.create(options.name, options.role));
      console.log(describeKey(key));
      console.log(`secret (shown only now): ${key.secret}`);
    });
  keys
    .command('list')
    .description('every key: id, name, roles, created, live or revoked (never a secret)')
    .action(async () => {
      const all = await withKeys((api) => api.list());
      if (all.length === 0) console.log('no API key yet');
      for (const key of all) console.log(describeKey(key));
    });
  keys
    .command('revoke')
    .description('revoke a key: it is refused (401) from now on')
    .argument('<id>', 'the key id, as `keys list` shows it', parseKeyId)
    .action(async (id: string) => {
      const revoked = await withKeys((api) => api.revoke(id));
      if (revoked === undefined) throw new Error(`no API key ${id}`);
      console.log(describeKey(revoked));
    });
  return keys;
}
