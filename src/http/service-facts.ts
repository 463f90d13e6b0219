import { basename, dirname } from 'node:path';
import { description, name, version } from '../../package.json';
import { EsdbEventStore } from '../eventstore/esdb/esdb-event-store';
import type { Infrastructure } from '../eventstore/infrastructure';
import { PgliteSqlClient } from '../eventstore/sql/pglite-sql-client';

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

export const SERVICE_TITLE = `${escapeHtml(name)} <small>${escapeHtml(version)}</small>`;

/** What the service is and where its API lives, as HTML a visitor of `/` may see. */
export function serviceFactsHtml(infra: Pick<Infrastructure, 'eventStore' | 'sql'>): string {
  return `<p>${SERVICE_TITLE}: ${escapeHtml(description)}</p>
<p>Storage: ${escapeHtml(storageOf(infra))}.</p>
<ul>
<li><a href="/docs">/docs</a>: the HTTP API (OpenAPI, <a href="/docs.json">/docs.json</a>)</li>
<li><a href="/health">/health</a>: status and the head position of the log</li>
</ul>`;
}
