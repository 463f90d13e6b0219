import { ProjectRoutes } from '../../../src/http/project/project.routes';
import { SupplierProjectRoutes } from '../../../src/http/supplier-project/supplier-project.routes';
import { SupplierRoutes } from '../../../src/http/supplier/supplier.routes';
import { TaskTypeRoutes } from '../../../src/http/task-type/task-type.routes';
import type { TestApp } from '../support/http-app';

const ROUTES = [SupplierRoutes, ProjectRoutes, TaskTypeRoutes, SupplierProjectRoutes].flatMap(
  (routes) => Object.values(routes),
);

interface Operation {
  operationId: string;
  parameters: Array<{ name: string; in: string }>;
  requestBody: {
    content: { 'application/json': { schema: { properties: Record<string, unknown> } } };
  };
}

/** Runs inside a describe of the back-end's app; `app()` is that app. */
export function openApiCases(app: () => TestApp): void {
  let api: TestApp;
  beforeAll(() => {
    api = app();
  });

  it('lists every command path with the request schema its pipe validates', async () => {
    const res = await api.call('GET', '/docs.json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, Operation>>;
    expect(ROUTES).toHaveLength(24);
    for (const route of ROUTES) {
      const operation = paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      expect(operation?.operationId).toBe(route.command);
      const schema = operation?.requestBody.content['application/json'].schema;
      expect(Object.keys(schema?.properties ?? {}).sort()).toEqual(
        Object.keys(route.body.shape).sort(),
      );
      const inPath = operation?.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      expect(inPath).toEqual(route.pathKeys);
    }
    expect(paths['/streams/{streamId}/events']?.get).toBeDefined();
    const ui = await api.call('GET', '/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
  });
}
