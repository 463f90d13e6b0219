import { badInputCases } from './cases/bad-input.cases';
import { commandCases } from './cases/commands.cases';
import { homeCases } from './cases/home.cases';
import { idempotencyCases } from './cases/idempotency.cases';
import { openApiCases } from './cases/openapi.cases';
import { HTTP_BACKENDS, type TestApp } from './support/http-app';

/*
 * One service per back-end for every case: opening PGlite costs seconds, so the cases share it.
 * Each case group creates the entities it needs under fresh ids, so the groups do not depend on
 * each other's data.
 */
describe.each(HTTP_BACKENDS)('the HTTP API on %s', (name, open) => {
  let api: TestApp | undefined;
  const app = (): TestApp => {
    if (api === undefined) throw new Error('the app did not start');
    return api;
  };

  beforeAll(async () => {
    api = await open();
  }, 90_000);
  afterAll(async () => {
    await api?.close();
  }, 30_000);

  describe('commands', () => commandCases(app));
  describe('Idempotency-Key', () => idempotencyCases(app));
  describe('bad input on every command route', () => badInputCases(app));
  describe('OpenAPI', () => openApiCases(app));
  describe('home page', () => homeCases(app, name));
});
