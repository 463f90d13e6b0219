/**
 * What the deployment files must say, as checks that return the problems they find, so a test
 * can show each rule catching a bad file as well as passing the real one.
 */

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: unknown;
  restart?: string;
  healthcheck?: { test?: unknown; disable?: boolean };
  ports?: unknown[];
  environment?: Record<string, unknown> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** `${VAR}`, `${VAR:-default}`, `${VAR:?message}`; `$${VAR}` is an escape, not a variable. */
const VARIABLE = /(?<!\$)\$\{([A-Z_][A-Z0-9_]*)(?::?[-?][^}]*)?\}/g;

/** An exact version: major.minor at least (PostgreSQL's releases are 17.6), never `latest`. */
const PINNED_TAG = /^[a-z0-9][\w.\-/]*:\d+\.\d+(\.\d+)?(-[a-z0-9.-]+)?$/;

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE/i;
const URL_CREDENTIALS = /:\/\/[^/\s:@]+:([^@\s]+)@/;

export function variablesOf(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1]!))].sort();
}

/** Services something waits for to exit successfully: one-shot jobs. */
export function oneShots(compose: ComposeFile): Set<string> {
  const names = new Set<string>();
  for (const service of Object.values(compose.services)) {
    const deps = service.depends_on;
    if (!deps || Array.isArray(deps)) continue;
    for (const [name, dep] of Object.entries(deps))
      if (dep.condition === 'service_completed_successfully') names.add(name);
  }
  return names;
}

export function composeProblems(
  compose: ComposeFile,
  composeText: string,
  envExample: string,
): string[] {
  const problems: string[] = [];
  const jobs = oneShots(compose);
  for (const [name, service] of Object.entries(compose.services)) {
    if (!service.image) problems.push(`${name}: no image`);
    else if (!PINNED_TAG.test(service.image) || /:latest$/.test(service.image))
      problems.push(`${name}: image ${service.image} is not pinned to an exact version`);
    if (jobs.has(name)) {
      if (service.restart !== 'no')
        problems.push(`${name}: a one-shot job must have restart: 'no'`);
    } else {
      if (service.restart !== 'unless-stopped')
        problems.push(`${name}: restart is ${service.restart ?? 'unset'}, not unless-stopped`);
      if (!service.healthcheck?.test || service.healthcheck.disable)
        problems.push(`${name}: no healthcheck`);
    }
    for (const port of service.ports ?? []) {
      const host = typeof port === 'string' ? port.split(':').slice(0, -2).join(':') : '';
      if (host !== '127.0.0.1' && host !== '${BIND_ADDRESS:-127.0.0.1}')
        problems.push(`${name}: port ${String(port)} is not bound to 127.0.0.1`);
    }
    const environment = Array.isArray(service.environment)
      ? Object.fromEntries(service.environment.map((e) => e.split('=', 2) as [string, string]))
      : (service.environment ?? {});
    for (const [key, value] of Object.entries(environment)) {
      const text = String(value);
      if (SECRET_NAME.test(key) && !/^\$\{[^}]+\}$/.test(text))
        problems.push(`${name}: ${key} is a literal, not a \${VAR} from .env`);
      const password = URL_CREDENTIALS.exec(text)?.[1];
      if (password !== undefined && !/^\$\{[^}]+\}$/.test(password))
        problems.push(`${name}: ${key} holds a literal password`);
    }
  }
  const listed = new Set(
    envExample
      .split('\n')
      .map((line) => /^([A-Z_][A-Z0-9_]*)=/.exec(line.trim())?.[1])
      .filter((v): v is string => v !== undefined),
  );
  for (const variable of variablesOf(composeText))
    if (!listed.has(variable)) problems.push(`.env.example does not list ${variable}`);
  const eventstore = Object.entries(compose.services).find(([, s]) =>
    s.image?.startsWith('eventstore/'),
  );
  if (!eventstore) problems.push('no EventStoreDB service');
  else {
    const env = (eventstore[1].environment ?? {}) as Record<string, unknown>;
    if (env.EVENTSTORE_RUN_PROJECTIONS !== 'None')
      problems.push(
        'EventStoreDB runs its own projections (EVENTSTORE_RUN_PROJECTIONS is not None)',
      );
    if (String(env.EVENTSTORE_START_STANDARD_PROJECTIONS ?? 'false') !== 'false')
      problems.push('EventStoreDB starts its standard projections');
  }
  return problems;
}

/** The Dockerfile's stages, each from its FROM line to the next. */
function stagesOf(dockerfile: string): string[] {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n');
  const stages: string[][] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) stages.push([]);
    if (!line.trim().startsWith('#')) stages.at(-1)?.push(line);
  }
  return stages.map((s) => s.join('\n'));
}

export function dockerfileProblems(dockerfile: string): string[] {
  const problems: string[] = [];
  const stages = stagesOf(dockerfile);
  if (stages.length < 2) problems.push('not multi-stage');
  for (const stage of stages) {
    const base = /^FROM\s+(\S+)/i.exec(stage)?.[1] ?? '';
    if (!/^node:\d+\.\d+\.\d+-bookworm-slim$/.test(base))
      problems.push(`base image ${base} is not an exact node:x.y.z-bookworm-slim`);
  }
  const build = stages.slice(0, -1).join('\n');
  if (!/RUN\s+npm ci\b/.test(build)) problems.push('the build stage does not npm ci');
  if (!/RUN\s+npm run build\b/.test(build)) problems.push('the build stage does not npm run build');
  const final = stages.at(-1) ?? '';
  if (!/RUN\s+npm ci\b[^\n]*--omit=dev/.test(final))
    problems.push('the final stage does not npm ci --omit=dev');
  if (!/COPY\s+--from=\S+\s+\S*dist\S*/.test(final))
    problems.push('the final stage does not copy dist/ from the build');
  const user = /^USER\s+(\S+)/m.exec(final)?.[1];
  if (!user || user === 'root' || user === '0' || user.startsWith('0:'))
    problems.push(`the final stage runs as ${user ?? 'root (no USER)'}`);
  const healthcheck = /^HEALTHCHECK\s+(.*)$/m.exec(final)?.[1] ?? '';
  if (!/\/health\b/.test(healthcheck)) problems.push('no HEALTHCHECK on /health');
  if (/\bcurl\b|\bwget\b/.test(healthcheck) || !/\bnode\b/.test(healthcheck))
    problems.push('the HEALTHCHECK does not use node (slim images have no curl)');
  if (!/^EXPOSE\s+3000\b/m.test(final)) problems.push('does not EXPOSE 3000');
  if (!/^CMD\s+\[\s*"node",\s*"dist\/src\/main\.js"\s*\]/m.test(final))
    problems.push('CMD is not ["node", "dist/src/main.js"]');
  return problems;
}
