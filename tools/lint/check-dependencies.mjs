/**
 * Checks a tree against the layer rules of .dependency-cruiser.cjs through dependency-cruiser's
 * API: its CLI refuses Node 20, which the service supports (engines), while the API runs on it.
 *
 * Usage: node tools/lint/check-dependencies.mjs [--json | --baseline] [DIR]
 * DIR (default: the repository) holds any of the cruised folders; a tsconfig.json and a
 * .dependency-cruiser-known-violations.json in it are used when present. Exits 1 on a violation;
 * --json prints the violations as `[{ rule, from, to }]` instead of the report; --baseline prints
 * every current violation in the known-violations format (known ones included), to record a
 * violation that another change is to remove.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, format } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const ROOTS = ['src', 'projections', 'upcasters', 'test', 'bench', 'tools'];
const KNOWN_VIOLATIONS = '.dependency-cruiser-known-violations.json';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const baseline = args.includes('--baseline');
const baseDir = resolve(args.find((arg) => !arg.startsWith('--')) ?? repository);

const require = createRequire(import.meta.url);
const { forbidden, options } = require(join(repository, '.dependency-cruiser.cjs'));
const tsConfigPath = join(baseDir, 'tsconfig.json');
const knownPath = join(baseDir, KNOWN_VIOLATIONS);

// Paths in the rules and in the result are relative to the working directory.
process.chdir(baseDir);
const result = await cruise(
  ROOTS.filter((root) => existsSync(join(baseDir, root))),
  {
    ...options,
    ...(existsSync(tsConfigPath) ? {} : { tsConfig: undefined }),
    ...(existsSync(knownPath) && !baseline ? { knownViolations: require(knownPath) } : {}),
    ruleSet: { forbidden },
    validate: true,
  },
  undefined,
  existsSync(tsConfigPath) ? { tsConfig: extractTSConfig(tsConfigPath) } : {},
);

const violations = result.output.summary.violations.filter((v) => v.rule.severity === 'error');
if (baseline) {
  process.stdout.write((await format(result.output, { outputType: 'baseline' })).output);
  process.exit(0);
} else if (json) {
  const rows = violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
  process.stdout.write(JSON.stringify(rows) + '\n');
} else {
  const report = await format(result.output, { outputType: 'err' });
  process.stdout.write(report.output);
}
process.exitCode = violations.length > 0 ? 1 : 0;
