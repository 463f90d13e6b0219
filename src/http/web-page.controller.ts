import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { readWebPage, WEB_PAGE_DIR, WEB_PAGE_HEADERS } from './web-page';

/** The managers' dashboard page at `/` (built by vite into dist/web; its assets under /assets/). */
@Controller()
export class WebPageController {
  private readonly page = readWebPage(WEB_PAGE_DIR);

  @Get()
  home(@Res() res: Response): void {
    res.status(200).set(WEB_PAGE_HEADERS).type('html').send(this.page.html);
  }
}
