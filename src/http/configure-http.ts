import type { INestApplication } from '@nestjs/common';
import swaggerUi from 'swagger-ui-express';
import { assignRequestIds } from './commands/request-ids';
import { HttpErrorFilter } from './errors/http-error.filter';
import { serveWebAssets } from './web-page';

/** What the HTTP layer installs on the application: call before `listen`. */
export function configureHttp(app: INestApplication): void {
  app.useGlobalFilters(new HttpErrorFilter());
  app.use(assignRequestIds);
  // The UI loads the document generated from the zod schemas (GET /docs.json).
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerOptions: { url: '/docs.json' } }),
  );
  serveWebAssets(app);
}
