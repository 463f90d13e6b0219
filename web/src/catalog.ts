import type { Api } from './api';
import type { ListPage } from './api-types';

export interface Choice {
  id: string;
  label: string;
}

/** Names of what the instances refer to, and the choices of the filter form. */
export interface Catalog {
  suppliers: Choice[];
  projects: Choice[];
  sections: Choice[];
  categories: string[];
  /** Every id (supplier, project, section, task) to the name a person knows it by. */
  labels: Map<string, string>;
}

/**
 * The lists' largest page, 20 times: 10,000 entries, a filter list as long as the bench's
 * suppliers; a longer one is cut (the progress tables still page through every row).
 */
const PAGE_LIMIT = '500';
const MAX_PAGES = 20;

type Entry = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The id of an entry: `id`, or the first `…Id` field naming the entry itself. */
const idOf = (entry: Entry, own: string[]): string | undefined =>
  text(entry.id) ?? own.map((name) => text(entry[name])).find((id) => id !== undefined);

const labelOf = (entry: Entry): string | undefined => {
  const name = text(entry.name) ?? text(entry.title);
  const code = text(entry.code);
  return code !== undefined && name !== undefined && !name.startsWith(code)
    ? `${code} — ${name}`
    : (name ?? code);
};

const entries = (value: unknown): Entry[] =>
  Array.isArray(value) ? value.filter((v): v is Entry => typeof v === 'object' && v !== null) : [];

async function allPages(api: Api, path: string): Promise<Entry[]> {
  const found: Entry[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: PAGE_LIMIT, ...(cursor ? { cursor } : {}) });
    const answer = await api.get<ListPage | unknown[]>(path, query);
    if (Array.isArray(answer)) return entries(answer);
    found.push(...entries(answer.items));
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return found;
}

function choices(list: Entry[], own: string[], labels: Map<string, string>): Choice[] {
  const result: Choice[] = [];
  for (const entry of list) {
    const id = idOf(entry, own);
    if (id === undefined) continue;
    const label = labelOf(entry) ?? id;
    labels.set(id, label);
    result.push({ id, label });
  }
  return result;
}

/** Sections and tasks of the task-type tree, sub-tasks under their parent at any depth. */
function walkTaskType(taskType: Entry, catalog: Catalog): void {
  const category = text(taskType.category);
  if (category !== undefined && !catalog.categories.includes(category))
    catalog.categories.push(category);
  const typeName = labelOf(taskType);
  for (const section of entries(taskType.sections)) {
    const id = idOf(section, ['sectionId', 'taskTypeSectionId']);
    if (id === undefined) continue;
    const label = labelOf(section) ?? id;
    catalog.labels.set(id, label);
    catalog.sections.push({ id, label: typeName ? `${label} (${typeName})` : label });
    walkTasks(section, catalog);
  }
  walkTasks(taskType, catalog);
}

function walkTasks(parent: Entry, catalog: Catalog): void {
  for (const key of ['tasks', 'subTasks', 'subtasks', 'children']) {
    for (const task of entries(parent[key])) {
      const id = idOf(task, ['taskId']);
      if (id !== undefined) catalog.labels.set(id, labelOf(task) ?? id);
      walkTasks(task, catalog);
    }
  }
}

export async function loadCatalog(api: Api): Promise<Catalog> {
  const [suppliers, projects, taskTypes] = await Promise.all([
    allPages(api, '/suppliers'),
    allPages(api, '/projects'),
    allPages(api, '/task-types'),
  ]);
  const labels = new Map<string, string>();
  const catalog: Catalog = {
    suppliers: choices(suppliers, ['supplierId'], labels),
    projects: choices(projects, ['projectId'], labels),
    sections: [],
    categories: [],
    labels,
  };
  for (const taskType of taskTypes) walkTaskType(taskType, catalog);
  catalog.categories.sort();
  return catalog;
}
