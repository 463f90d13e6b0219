import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const repository = join(__dirname, '../..');
const checker = join(repository, 'tools/lint/check-dependencies.mjs');

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** A small tree with every layer, each importing only what the rules allow. */
const cleanTree: Record<string, string> = {
  'package.json': JSON.stringify({
    dependencies: { pg: '*', zod: '*' },
    devDependencies: { 'fast-check': '*' },
  }),
  'src/domain/task/task.events.ts': `import { z } from 'zod';
export const TaskCreated = z.object({ taskId: z.string() });
export type TaskEvent = { type: 'TaskCreated'; data: z.infer<typeof TaskCreated> };`,
  'src/domain/task/task.decider.ts': `import type { TaskEvent } from './task.events';
export const decide = (): TaskEvent[] => [];`,
  'src/eventstore/event.ts': `export interface StoredEvent { type: string; data: unknown }`,
  'src/eventstore/pg-store.ts': `import { Client } from 'pg';
export type Connection = Client;
export const connect = (url: string) => new Client(url);`,
  'upcasters/task-created.upcaster.ts': `import type { StoredEvent } from '../src/eventstore/event';
import type { TaskEvent } from '../src/domain/task/task.events';
export const upcast = (event: StoredEvent): TaskEvent[] => [event as TaskEvent];`,
  'projections/tasks/tasks.handlers.ts': `import type { TaskEvent } from '../../src/domain/task/task.events';
import { upcast } from '../../upcasters/task-created.upcaster';
export const apply = (event: TaskEvent) => upcast(event);`,
  'src/projection-runner/runner.ts': `import { apply } from '../../projections/tasks/tasks.handlers';
import { connect } from '../eventstore/pg-store';
export const run = () => [apply, connect];`,
  'src/http/tasks.controller.ts': `import { run } from '../projection-runner/runner';
export const controller = run;`,
  'src/app.module.ts': `import { controller } from './http/tasks.controller';
export const app = controller;`,
  'test/support/history.ts': `import { generate } from '../../tools/history';
export const history = generate;`,
  'tools/history.ts': `export const generate = () => [];`,
  'bench/rebuild.ts': `import { generate } from '../tools/history';
export const rebuild = generate;`,
};

const roots: string[] = [];

/** Writes the clean tree with `changes` over it and returns what the lint's checker reports. */
async function violationsOf(changes: Record<string, string>): Promise<Violation[]> {
  const root = mkdtempSync(join(tmpdir(), 'dependency-rules-'));
  roots.push(root);
  symlinkSync(realpathSync(join(repository, 'node_modules')), join(root, 'node_modules'));
  for (const [path, text] of Object.entries({ ...cleanTree, ...changes })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const result = await promisify(execFile)(process.execPath, [checker, '--json', root]).catch(
    (error: { code?: number; stdout?: string }) => {
      // Exit code 1 is the checker's "violations found"; anything else is a broken checker.
      if (error.code !== 1) throw error;
      return { stdout: error.stdout ?? '' };
    },
  );
  const violations = JSON.parse(result.stdout) as Violation[];
  return violations.sort((a, b) => `${a.rule}${a.from}`.localeCompare(`${b.rule}${b.from}`));
}

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('the dependency rules of npm run lint', () => {
  it('find nothing in a tree that keeps every layer', async () => {
    expect(await violationsOf({})).toEqual([]);
  });

  it('refuse a domain module importing the infrastructure', async () => {
    const violations = await violationsOf({
      'src/domain/task/task.decider.ts': `import { connect } from '../../eventstore/pg-store';
export const decide = () => connect('');`,
    });
    expect(violations).toEqual([
      {
        rule: 'domain-is-pure',
        from: 'src/domain/task/task.decider.ts',
        to: 'src/eventstore/pg-store.ts',
      },
    ]);
  });

  it('refuse a domain module importing only a type of the infrastructure', async () => {
    const violations = await violationsOf({
      'src/domain/task/task.decider.ts': `import type { Connection } from '../../eventstore/pg-store';
export const decide = (_c: Connection) => [];`,
    });
    expect(violations).toEqual([
      {
        rule: 'domain-is-pure',
        from: 'src/domain/task/task.decider.ts',
        to: 'src/eventstore/pg-store.ts',
      },
    ]);
  });

  it('refuse pg in a projection', async () => {
    const violations = await violationsOf({
      'projections/tasks/tasks.handlers.ts': `import { Client } from 'pg';
export const apply = () => new Client();`,
    });
    expect(violations.map((v) => [v.rule, v.from])).toEqual([
      ['projections-are-pure', 'projections/tasks/tasks.handlers.ts'],
      ['projections-no-framework', 'projections/tasks/tasks.handlers.ts'],
    ]);
    expect(violations[0]!.to).toMatch(/node_modules\/pg\//);
  });

  it('refuse an import cycle', async () => {
    const violations = await violationsOf({
      'src/eventstore/pg-store.ts': `import { Client } from 'pg';
import { pool } from './pool';
export type Connection = Client;
export const connect = (url: string) => pool(new Client(url));`,
      'src/eventstore/pool.ts': `import type { Connection } from './pg-store';
export const pool = (c: Connection) => [c];`,
    });
    const cycle = ['src/eventstore/pg-store.ts', 'src/eventstore/pool.ts'];
    expect(violations.length).toBeGreaterThan(0);
    for (const v of violations) {
      expect(v.rule).toBe('no-circular');
      expect(cycle).toContain(v.from);
      expect(cycle).toContain(v.to);
    }
  });

  it('refuse the HTTP layer imported from anywhere in src/ but the app module', async () => {
    const violations = await violationsOf({
      'src/projection-runner/runner.ts': `import { controller } from '../http/tasks.controller';
export const run = () => controller;`,
    });
    // The controller imports the runner, so this import closes a cycle as well.
    expect(violations.map((v) => v.rule)).toEqual(['http-only-from-app-module', 'no-circular']);
    expect(violations[0]).toEqual({
      rule: 'http-only-from-app-module',
      from: 'src/projection-runner/runner.ts',
      to: 'src/http/tasks.controller.ts',
    });
  });

  it('refuse a devDependency in production code, and allow it in a spec', async () => {
    const violations = await violationsOf({
      'src/eventstore/ids.ts': `import fc from 'fast-check';
export const ids = fc.uuid();`,
      'src/eventstore/ids.unit.spec.ts': `import fc from 'fast-check';
export const moreIds = fc.uuid();`,
    });
    expect(violations.map((v) => [v.rule, v.from])).toEqual([
      ['not-to-dev-dep', 'src/eventstore/ids.ts'],
    ]);
  });

  it('refuse a test importing a bench', async () => {
    const violations = await violationsOf({
      'test/support/history.ts': `import { rebuild } from '../../bench/rebuild';
export const history = rebuild;`,
    });
    expect(violations).toEqual([
      { rule: 'test-not-from-bench', from: 'test/support/history.ts', to: 'bench/rebuild.ts' },
    ]);
  });
});
