import { Api, ApiError } from './api';
import type {
  DueWeeksAnswer,
  InstanceItem,
  InstanceState,
  InstancesAnswer,
  ProgressAnswer,
  ProgressBy,
  ProgressRow,
} from './api-types';
import { loadCatalog, type Catalog, type Choice } from './catalog';
import { byId, el } from './dom';
import { DueWeekChart } from './due-week-chart';
import { filterQuery, readFilters, type Filters } from './filters';
import { InstanceDetail } from './instance-detail';
import { InstanceList } from './instance-list';
import { ProgressTable } from './progress-table';
import { readModelLag } from './read-model-lag';
import './style.css';

const KEY_STORAGE = 'supplier-tasks.apiKey';
const LIST_LIMIT = '50';

/** What the section drill-down is narrowed to, on top of the filters. */
interface DrillScope {
  field: 'projectId' | 'supplierId';
  key: string;
  label: string;
}

const keySection = byId<HTMLElement>('key-section');
const keyForm = byId<HTMLFormElement>('key-form');
const dashboard = byId<HTMLElement>('dashboard');
const filtersForm = byId<HTMLFormElement>('filters');
const errorBox = byId<HTMLParagraphElement>('error');
const forgetButton = byId<HTMLButtonElement>('forget-key');

let api: Api | undefined;
let catalog: Catalog = {
  suppliers: [],
  projects: [],
  sections: [],
  categories: [],
  labels: new Map(),
};
let filters: Filters = readFilters(filtersForm);
let drill: DrillScope | undefined;

/** The lists that come a page at a time, each with its "More" button (`#<listing>-more`). */
type Listing = 'project' | 'supplier' | 'section' | 'overdue' | 'due-soon';
const cursors: Partial<Record<Listing, string | null>> = {};
const paged = (listing: Listing, nextCursor: string | null): void => {
  cursors[listing] = nextCursor;
  byId(`${listing}-more`).hidden = nextCursor === null;
};

const currentApi = (): Api => {
  if (api === undefined) throw new Error('no key yet');
  return api;
};
const chart = new DueWeekChart(byId<HTMLCanvasElement>('due-week-chart'));
const detail = new InstanceDetail(currentApi, () => catalog);
const openDetail = (item: InstanceItem, opener: HTMLElement) =>
  void detail.open(item.id, opener).catch(showError);
const overdueList = new InstanceList(byId('overdue'), 'Overdue', openDetail);
const dueSoonList = new InstanceList(byId('due-soon'), 'Due soon', openDetail);

function showError(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) {
    signOut(`The service refused the key: ${error.message}`);
    return;
  }
  errorBox.textContent =
    error instanceof ApiError
      ? `The service answered ${error.status}: ${error.message}`
      : `Something failed: ${error instanceof Error ? error.message : String(error)}`;
  errorBox.hidden = false;
}

function clearError(): void {
  errorBox.hidden = true;
  errorBox.textContent = '';
}

function signOut(reason?: string): void {
  sessionStorage.removeItem(KEY_STORAGE);
  api = undefined;
  dashboard.hidden = true;
  forgetButton.hidden = true;
  keySection.hidden = false;
  clearError();
  if (reason !== undefined) {
    errorBox.textContent = reason;
    errorBox.hidden = false;
  }
  byId<HTMLInputElement>('api-key').focus();
}

function fillSelect(id: string, options: Choice[]): void {
  const select = byId<HTMLSelectElement>(id);
  const chosen = select.value;
  select.replaceChildren(
    el('option', { value: '' }, 'all'),
    ...options.map((option) => el('option', { value: option.id }, option.label)),
  );
  select.value = chosen;
}

const progress = (by: ProgressBy, extra: Record<string, string> = {}, cursor?: string) =>
  currentApi().get<ProgressAnswer>(
    '/dashboards/progress',
    filterQuery({ ...filters, ...extra }, { by, ...(cursor ? { cursor } : {}) }),
  );

const instances = (state: InstanceState, limit: string, cursor?: string) =>
  currentApi().get<InstancesAnswer>(
    '/dashboards/instances',
    filterQuery(filters, { state, limit, ...(cursor ? { cursor } : {}) }),
  );

// Counted by the service per due week: the page never pages through the instances themselves.
const openByDueWeek = () =>
  currentApi().get<DueWeeksAnswer>(
    '/dashboards/due-weeks',
    filterQuery({ ...filters, dueSoonDays: '' }),
  );

const drillTo = (field: DrillScope['field']) => (row: ProgressRow) => {
  drill = { field, key: row.key, label: row.label };
  void showSections()
    .then(() => byId('progress-section').focus())
    .catch(showError);
};

const progressTables = {
  project: new ProgressTable(byId('progress-project'), {
    caption: 'Progress by project',
    drill: drillTo('projectId'),
  }),
  supplier: new ProgressTable(byId('progress-supplier'), {
    caption: 'Progress by supplier',
    drill: drillTo('supplierId'),
  }),
  section: new ProgressTable(byId('progress-section'), { caption: 'Progress by section' }),
};
type Grouping = keyof typeof progressTables;

/** The drill-down's narrowing of the section table, on top of the filters. */
const scopeOf = (by: Grouping): Record<string, string> =>
  by === 'section' && drill !== undefined ? { [drill.field]: drill.key } : {};

async function showProgress(by: Grouping): Promise<ProgressAnswer> {
  const answer = await progress(by, scopeOf(by));
  progressTables[by].replace(answer.rows);
  paged(by, answer.nextCursor);
  return answer;
}

async function showSections(): Promise<void> {
  await showProgress('section');
  byId('drill-scope').textContent =
    drill === undefined
      ? 'All sections within the filters. Choose "Sections" on a project or supplier to narrow.'
      : `Sections of ${drill.field === 'projectId' ? 'project' : 'supplier'} ${drill.label}.`;
}

async function refresh(): Promise<void> {
  clearError();
  dashboard.setAttribute('aria-busy', 'true');
  try {
    const [byProject, overdue, dueSoon, open] = await Promise.all([
      showProgress('project'),
      instances('overdue', LIST_LIMIT),
      instances('due-soon', LIST_LIMIT),
      openByDueWeek(),
      showProgress('supplier'),
      showSections(),
    ]);
    byId('as-of-shown').textContent =
      `Counted as of ${byProject.asOf}; due soon means due within ${byProject.dueSoonDays} days.`;
    overdueList.replace(overdue.items, catalog);
    dueSoonList.replace(dueSoon.items, catalog);
    paged('overdue', overdue.nextCursor);
    paged('due-soon', dueSoon.nextCursor);
    chart.show(open);
    const count = open.weeks.reduce((n, w) => n + w.overdue + w.notYetDue, open.withoutDueDate);
    byId('chart-summary').textContent =
      `All ${count} open instances; ` +
      `red: overdue (due before ${open.asOf}); ${open.withoutDueDate} without a due date.`;
    byId('lag').textContent = await readModelLag(currentApi());
  } finally {
    dashboard.setAttribute('aria-busy', 'false');
    // The browser test waits for this count to move rather than for time to pass.
    dashboard.dataset.loads = String(Number(dashboard.dataset.loads ?? '0') + 1);
  }
}

async function moreInstances(state: 'overdue' | 'due-soon', list: InstanceList): Promise<void> {
  const cursor = cursors[state];
  if (!cursor) return;
  const answer = await instances(state, LIST_LIMIT, cursor);
  list.append(answer.items, catalog);
  paged(state, answer.nextCursor);
}

async function moreProgress(by: Grouping): Promise<void> {
  const cursor = cursors[by];
  if (!cursor) return;
  const answer = await progress(by, scopeOf(by), cursor);
  progressTables[by].append(answer.rows);
  paged(by, answer.nextCursor);
}

async function start(key: string): Promise<void> {
  api = new Api(key);
  keySection.hidden = true;
  dashboard.hidden = false;
  forgetButton.hidden = false;
  clearError();
  catalog = await loadCatalog(currentApi());
  fillSelect('filter-supplier', catalog.suppliers);
  fillSelect('filter-project', catalog.projects);
  fillSelect('filter-section', catalog.sections);
  fillSelect(
    'filter-category',
    catalog.categories.map((category) => ({ id: category, label: category })),
  );
  await refresh();
  byId<HTMLSelectElement>('filter-supplier').focus();
}

keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byId<HTMLInputElement>('api-key');
  const key = input.value.trim();
  if (key === '') return;
  sessionStorage.setItem(KEY_STORAGE, key);
  input.value = '';
  void start(key).catch(showError);
});

filtersForm.addEventListener('submit', (event) => {
  event.preventDefault();
  filters = readFilters(filtersForm);
  drill = undefined;
  void refresh().catch(showError);
});

forgetButton.addEventListener('click', () => signOut());
byId('overdue-more').addEventListener(
  'click',
  () => void moreInstances('overdue', overdueList).catch(showError),
);
byId('due-soon-more').addEventListener(
  'click',
  () => void moreInstances('due-soon', dueSoonList).catch(showError),
);
for (const by of Object.keys(progressTables) as Grouping[])
  byId(`${by}-more`).addEventListener('click', () => void moreProgress(by).catch(showError));

const stored = sessionStorage.getItem(KEY_STORAGE);
if (stored !== null) void start(stored).catch(showError);
else signOut();
