import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/access.decorators';
import { COMMAND_CONTROLLERS } from '../command-controllers';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document';

@Controller()
export class DocsController {
  private document: OpenApiDocument | undefined;

  @Get('docs.json')
  @Public()
  openApi(): OpenApiDocument {
    this.document ??= buildOpenApiDocument(COMMAND_CONTROLLERS);
    return this.document;
  }
}
