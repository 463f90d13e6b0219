import { Controller, Get } from '@nestjs/common';
import { AuditController } from '../audit/audit.controller';
import { Public } from '../auth/access.decorators';
import { withAccess } from '../auth/openapi-access';
import { COMMAND_CONTROLLERS } from '../command-controllers';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document';

@Controller()
export class DocsController {
  private document: OpenApiDocument | undefined;

  @Get('docs.json')
  @Public()
  openApi(): OpenApiDocument {
    this.document ??= withAccess(buildOpenApiDocument(COMMAND_CONTROLLERS), [
      ...COMMAND_CONTROLLERS,
      AuditController,
    ]);
    return this.document;
  }
}
