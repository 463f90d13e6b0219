/**
 * The layers of the service, checked by `npm run lint` (`depcruise`) over the whole tree, type
 * imports included. test/lint/dependency-rules.int.spec.ts plants a violation of each rule.
 */
/** Tests and their fixtures may use test libraries; the purity rules are about what ships. */
const spec = '\\.(spec|fixtures)\\.ts$';
/** The event types: the V2 unions of the deciders, their shared schemas and the stored envelope. */
const eventTypes = [
  '^src/domain/[^/]+/[^/]+\\.events\\.ts$',
  '^src/domain/shared/schemas\\.ts$',
  '^src/eventstore/event\\.ts$',
];
/** Packages that are a framework, a driver or I/O: none of them belongs in a pure layer. */
const impure =
  '(^|/)node_modules/(@nestjs|@electric-sql|@eventstore|@kurrent|pg|pg-copy-streams|knex|knex-pglite|express|rxjs|reflect-metadata|pino|pino-http|nestjs-pino|prom-client|lru-cache|commander|cli-progress)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes every module in it load and change together.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        "The deciders import nothing but each other, zod and immutable's persistent collections: no framework, no I/O, no outer layer.",
      from: { path: '^src/domain/', pathNot: spec },
      to: { pathNot: ['^src/domain/', '(^|/)node_modules/zod/', '(^|/)node_modules/immutable/'] },
    },
    {
      name: 'upcasters-are-pure',
      severity: 'error',
      comment:
        'Upcasters are pure functions of one event: they import each other, zod and the V2 event types only.',
      from: { path: '^upcasters/', pathNot: spec },
      to: {
        pathNot: ['^upcasters/', ...eventTypes, '(^|/)node_modules/zod/'],
      },
    },
    {
      name: 'event-envelope-is-pure',
      severity: 'error',
      comment: 'The stored envelope is one of the event types the pure layers import.',
      from: { path: '^src/eventstore/event\\.ts$' },
      to: { pathNot: ['^src/domain/', '(^|/)node_modules/zod/'] },
    },
    {
      name: 'projections-are-pure',
      severity: 'error',
      comment:
        'Projection handlers are pure row changes: no framework, no driver, no runner. The runner depends on them, not the other way round.',
      from: { path: '^projections/', pathNot: spec },
      to: {
        pathNot: ['^projections/', '^upcasters/', ...eventTypes, '(^|/)node_modules/zod/'],
      },
    },
    {
      name: 'projections-no-framework',
      severity: 'error',
      comment: 'Specs of projections included: no framework or driver in projections/.',
      from: { path: '^projections/' },
      to: { path: impure },
    },
    {
      name: 'http-only-from-app-module',
      severity: 'error',
      comment:
        'The HTTP layer is the outermost: only the composition root (the app module, and app.ts that configures the HTTP server) wires it in.',
      from: { path: '^src/', pathNot: ['^src/http/', '^src/app\\.module\\.ts$', '^src/app\\.ts$'] },
      to: { path: '^src/http/' },
    },
    {
      name: 'test-not-from-bench',
      severity: 'error',
      comment: 'What tests and benches share lives in tools/.',
      from: { path: '^test/' },
      to: { path: '^bench/' },
    },
    {
      name: 'bench-not-from-test',
      severity: 'error',
      comment: 'What tests and benches share lives in tools/.',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
    {
      name: 'tools-not-from-test-or-bench',
      severity: 'error',
      comment: 'tools/ is what tests and benches share: it depends on neither.',
      from: { path: '^tools/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'production-not-from-test-or-bench',
      severity: 'error',
      comment: 'Production code does not depend on tests, benches or their tools.',
      from: { path: '^(src|projections|upcasters)/', pathNot: spec },
      to: { path: '^(test|bench|tools)/' },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment:
        'Production code runs with `npm ci --omit=dev`: a devDependency it imports is missing there.',
      from: { path: '^(src|projections|upcasters)/', pathNot: spec },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing cannot be checked against the other rules.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
