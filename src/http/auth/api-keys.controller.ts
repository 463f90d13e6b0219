import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { z } from 'zod';
import { ApiKeyStore, type ApiKey, type IssuedApiKey } from '../../access/api-key.store';
import { KeyAuthenticator } from '../../access/key-authenticator';
import { KeyNameSchema, RoleSchema } from '../../access/roles';
import { fieldIssues, RequestValidationError } from '../errors/request-validation.error';
import { Roles } from './access.decorators';

export const CreateApiKeySchema = z.strictObject({
  name: KeyNameSchema,
  roles: z.array(RoleSchema).min(1).max(5),
});
const KeyIdSchema = z.uuid();

/** Key management for admins: what `supplier-tasks keys` uses while the service owns PGlite. */
@Controller('admin/keys')
@Roles('admin')
export class ApiKeysController {
  constructor(
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
    @Inject(KeyAuthenticator) private readonly authenticator: KeyAuthenticator,
  ) {}

  /** The secret is in this answer and nowhere else, ever. */
  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<IssuedApiKey> {
    const parsed = CreateApiKeySchema.safeParse(body ?? {});
    if (!parsed.success) {
      throw new RequestValidationError(
        fieldIssues(parsed.error, 'body', (path) => path.map(String).join('.') || 'body'),
      );
    }
    return this.keys.create(parsed.data.name, [...new Set(parsed.data.roles)]);
  }

  @Get()
  list(): Promise<ApiKey[]> {
    return this.keys.list();
  }

  @Delete(':id')
  async revoke(@Param('id') id: string): Promise<ApiKey> {
    if (!KeyIdSchema.safeParse(id).success) {
      throw new RequestValidationError([{ field: 'id', in: 'path', reason: 'a key id (uuid)' }]);
    }
    const revoked = await this.keys.revoke(id);
    // The announcement reaches this process a moment later: the next request must not be early.
    this.authenticator.forget();
    if (revoked === undefined) throw new NotFoundException(`no API key ${id}`);
    return revoked;
  }
}
