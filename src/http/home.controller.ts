import { basename, dirname } from 'node:path';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { description, name, version } from '../../package.json';
import { EsdbEventStore } from '../eventstore/esdb/esdb-event-store';
import type { Infrastructure } from '../eventstore/infrastructure';
import { PgliteSqlClient } from '../eventstore/sql/pglite-sql-client';
import { INFRASTRUCTURE } from '../tokens';
import { Public } from './auth/access.decorators';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/**
 * The storage in words a visitor may see: the kind of database and, for PGlite, the name of its
 * folder; never a path of the host or a URL (which may carry credentials).
 */
export function storageOf(infra: Pick<Infrastructure, 'eventStore' | 'sql'>): string {
  const { sql } = infra;
  const readModels =
    sql instanceof PgliteSqlClient
      ? // PGlite keeps its files in `<DATA_DIR>/pglite`: DATA_DIR is the folder the operator chose.
        `PGlite in the folder ${basename(dirname(sql.db.dataDir ?? '.'))}`
      : 'PostgreSQL';
  return infra.eventStore instanceof EsdbEventStore
    ? `events on EventStoreDB, read models on ${readModels}`
    : `events and read models on ${readModels}`;
}

/** What a person opening the service's address sees, until the dashboards take this place. */
@Controller()
@Public()
export class HomeController {
  private readonly page: string;

  constructor(@Inject(INFRASTRUCTURE) infra: Infrastructure) {
    this.page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(name)} ${escapeHtml(version)}</title></head>
<body>
<h1>${escapeHtml(name)} <small>${escapeHtml(version)}</small></h1>
<p>${escapeHtml(description)}</p>
<p>Storage: ${escapeHtml(storageOf(infra))}.</p>
<ul>
<li><a href="/docs">/docs</a>: the HTTP API (OpenAPI, <a href="/docs.json">/docs.json</a>)</li>
<li><a href="/health">/health</a>: status and the head position of the log</li>
</ul>
</body>
</html>
`;
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home(): string {
    return this.page;
  }
}
