import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import {
  composeProblems,
  dockerfileProblems,
  oneShots,
  variablesOf,
  type ComposeFile,
} from './compose-rules';

const root = resolve(__dirname, '../..');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const envExample = readFileSync(join(root, '.env.example'), 'utf8');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const compose = () => parse(composeText) as ComposeFile;

/** `docker compose` (the plugin) or Debian's `docker-compose`, whichever answers. */
function composeCli(): string[] | undefined {
  for (const cli of [['docker', 'compose'], ['docker-compose']]) {
    const probe = spawnSync(cli[0]!, [...cli.slice(1), 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return cli;
  }
  return undefined;
}

describe('docker-compose.yml', () => {
  it('passes every rule: pinned images, health checks, restarts, 127.0.0.1, no secrets, projections off', () => {
    expect(composeProblems(compose(), composeText, envExample)).toEqual([]);
  });

  it('has the stack the service needs, the service waiting for the one-shot migration', () => {
    const { services } = compose();
    expect(Object.keys(services).sort()).toEqual(['eventstore', 'migrate', 'postgres', 'service']);
    expect(oneShots(compose())).toEqual(new Set(['migrate']));
    expect(services.migrate!.command).toEqual(['node', 'bin/supplier-tasks.js', 'migrate']);
    expect(services.service!.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
      eventstore: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
    });
    expect(services.service!.build).toBe('.');
    expect(services.service!.environment).toMatchObject({
      EVENTSTORE_URL: 'esdb://eventstore:2113?tls=false',
    });
  });

  it('takes its variables from .env, and .env is not committed', () => {
    expect(variablesOf(composeText)).toEqual([
      'BIND_ADDRESS',
      'POSTGRES_DB',
      'POSTGRES_PASSWORD',
      'POSTGRES_USER',
    ]);
    // Exit status 0: the path is ignored.
    expect(() => execFileSync('git', ['check-ignore', '-q', '.env'], { cwd: root })).not.toThrow();
    expect(() =>
      execFileSync('git', ['check-ignore', '-q', '.env.example'], { cwd: root }),
    ).toThrow();
  });

  describe('each rule catches a file that breaks it', () => {
    const broken = (change: (c: ComposeFile) => void, text = composeText, env = envExample) => {
      const c = compose();
      change(c);
      return composeProblems(c, text, env);
    };

    it('an unpinned or bare-major image', () => {
      expect(broken((c) => (c.services.postgres!.image = 'postgres:17'))).toEqual([
        'postgres: image postgres:17 is not pinned to an exact version',
      ]);
      expect(
        broken((c) => (c.services.eventstore!.image = 'eventstore/eventstore:latest')),
      ).toEqual([
        'eventstore: image eventstore/eventstore:latest is not pinned to an exact version',
      ]);
    });

    it('a service without a health check or with another restart policy', () => {
      expect(broken((c) => delete c.services.postgres!.healthcheck)).toEqual([
        'postgres: no healthcheck',
      ]);
      expect(broken((c) => (c.services.service!.restart = 'always'))).toEqual([
        'service: restart is always, not unless-stopped',
      ]);
      expect(broken((c) => (c.services.migrate!.restart = 'unless-stopped'))).toEqual([
        "migrate: a one-shot job must have restart: 'no'",
      ]);
    });

    it('a port published on every interface', () => {
      expect(broken((c) => (c.services.postgres!.ports = ['5432:5432']))).toEqual([
        'postgres: port 5432:5432 is not bound to 127.0.0.1',
      ]);
    });

    it('a secret written into the file', () => {
      expect(
        broken((c) => {
          (c.services.postgres!.environment as Record<string, unknown>).POSTGRES_PASSWORD =
            'hunter2';
          (c.services.service!.environment as Record<string, unknown>).DATABASE_URL =
            'postgres://u:hunter2@postgres:5432/db';
        }),
      ).toEqual([
        'postgres: POSTGRES_PASSWORD is a literal, not a ${VAR} from .env',
        // migrate and service share one environment (a YAML anchor).
        'migrate: DATABASE_URL holds a literal password',
        'service: DATABASE_URL holds a literal password',
      ]);
    });

    it('a variable missing from .env.example', () => {
      const env = envExample.replace(/^BIND_ADDRESS=.*$/m, '');
      expect(broken(() => undefined, composeText, env)).toEqual([
        '.env.example does not list BIND_ADDRESS',
      ]);
    });

    it("EventStoreDB's own projections on", () => {
      expect(
        broken((c) => {
          const env = c.services.eventstore!.environment as Record<string, unknown>;
          env.EVENTSTORE_RUN_PROJECTIONS = 'All';
          env.EVENTSTORE_START_STANDARD_PROJECTIONS = 'true';
        }),
      ).toEqual([
        'EventStoreDB runs its own projections (EVENTSTORE_RUN_PROJECTIONS is not None)',
        'EventStoreDB starts its standard projections',
      ]);
    });
  });

  const cli = composeCli();
  if (cli) {
    it(`is valid for ${cli.join(' ')} config, with .env.example as .env`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'compose-'));
      try {
        copyFileSync(join(root, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
        copyFileSync(join(root, '.env.example'), join(dir, '.env'));
        const result = spawnSync(cli[0]!, [...cli.slice(1), 'config', '--quiet'], {
          cwd: dir,
          encoding: 'utf8',
        });
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  } else {
    it('is checked by the rules above only: no docker compose or docker-compose here', () => {
      console.warn(
        'docker compose config SKIPPED: neither `docker compose` nor `docker-compose` is installed; the rule checks above ran instead',
      );
      expect(cli).toBeUndefined();
    });
  }
});

describe('Dockerfile', () => {
  it('is multi-stage, pinned, production-only, non-root, with a node health check on /health', () => {
    expect(dockerfileProblems(dockerfile)).toEqual([]);
  });

  it('each rule catches a file that breaks it', () => {
    const finalFrom = dockerfile.lastIndexOf('\nFROM ');
    const finalStage = dockerfile.slice(finalFrom);
    expect(dockerfileProblems(dockerfile.slice(finalFrom + 1))).toContain('not multi-stage');
    expect(dockerfileProblems(dockerfile.replace(/--omit=dev/g, ''))).toEqual([
      'the final stage does not npm ci --omit=dev',
    ]);
    expect(dockerfileProblems(dockerfile.replace(/^USER .*$/m, ''))).toEqual([
      'the final stage runs as root (no USER)',
    ]);
    expect(dockerfileProblems(dockerfile.replace(/^USER .*$/m, 'USER root'))).toEqual([
      'the final stage runs as root',
    ]);
    expect(
      dockerfileProblems(dockerfile.replace(/node:20\.\d+\.\d+-bookworm-slim/g, 'node:20')),
    ).toEqual([
      'base image node:20 is not an exact node:x.y.z-bookworm-slim',
      'base image node:20 is not an exact node:x.y.z-bookworm-slim',
    ]);
    const curlCheck = finalStage.replace(
      /^HEALTHCHECK .*$/m,
      'HEALTHCHECK CMD curl -f http://127.0.0.1:3000/health',
    );
    expect(dockerfileProblems(dockerfile.slice(0, finalFrom) + curlCheck)).toEqual([
      'the HEALTHCHECK does not use node (slim images have no curl)',
    ]);
  });
});
