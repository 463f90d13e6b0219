import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ApiKeyStore } from '../../access/api-key.store';
import { ACCESS_OPTIONS, type AccessOptions } from './access-options';

export const CONFIGURED_ADMIN_KEY_NAME = 'admin (SUPPLIER_TASKS_ADMIN_KEY)';
export const FIRST_ADMIN_KEY_NAME = 'admin';

/**
 * Zero set-up: a first start with no key makes an admin key and prints it once, so the service
 * is usable at once and nobody is locked out; SUPPLIER_TASKS_ADMIN_KEY makes that key known
 * in advance (automation, tests). A revoked configured key stays revoked.
 */
@Injectable()
export class AdminKeyBootstrap implements OnApplicationBootstrap {
  constructor(
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
    @Inject(ACCESS_OPTIONS) private readonly options: AccessOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.adminKey !== undefined) {
      await this.keys.ensure(CONFIGURED_ADMIN_KEY_NAME, ['admin'], this.options.adminKey);
      return;
    }
    if ((await this.keys.count()) > 0) return;
    const key = await this.keys.create(FIRST_ADMIN_KEY_NAME, ['admin']);
    this.options.announce(
      [
        'No API key existed: this admin key was made. It is shown only this once; keep it:',
        '',
        `    ${key.secret}`,
        '',
        'Send it as "Authorization: Bearer <key>". Make keys for each caller and job with',
        '  supplier-tasks keys create --name NAME --role writer|auditor|manager|operator|admin',
        '(with SUPPLIER_TASKS_API_KEY set to an admin key while the service runs), or',
        'POST /admin/keys {"name", "roles"}; then revoke this one (supplier-tasks keys revoke ID).',
        '',
      ].join('\n'),
    );
  }
}
