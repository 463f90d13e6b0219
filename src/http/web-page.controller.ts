import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Infrastructure } from '../eventstore/infrastructure';
import { INFRASTRUCTURE } from '../tokens';
import { Public } from './auth/access.decorators';
import { SERVICE_TITLE, serviceFactsHtml } from './service-facts';
import { WEB_PAGE_DIR, WEB_PAGE_HEADERS, webPageHtml } from './web-page';

/**
 * The managers' dashboard page at `/` (built by vite into dist/web; its assets under /assets/).
 * Public: the page holds no data; it asks for a key and sends it with every API call.
 */
@Controller()
@Public()
export class WebPageController {
  private readonly page: string;

  constructor(@Inject(INFRASTRUCTURE) infra: Infrastructure) {
    this.page = webPageHtml(WEB_PAGE_DIR, SERVICE_TITLE, serviceFactsHtml(infra));
  }

  @Get()
  home(@Res() res: Response): void {
    res.status(200).set(WEB_PAGE_HEADERS).type('html').send(this.page);
  }
}
