/** The filters the dashboard API takes (issue 16), as the filter form holds them. */
export interface Filters {
  supplierId: string;
  projectId: string;
  sectionId: string;
  category: string;
  asOf: string;
  dueSoonDays: string;
}

const NAMES: Array<keyof Filters> = [
  'supplierId',
  'projectId',
  'sectionId',
  'category',
  'asOf',
  'dueSoonDays',
];

export function readFilters(form: HTMLFormElement): Filters {
  const data = new FormData(form);
  const value = (name: keyof Filters) => String(data.get(name) ?? '').trim();
  return {
    supplierId: value('supplierId'),
    projectId: value('projectId'),
    sectionId: value('sectionId'),
    category: value('category'),
    asOf: value('asOf'),
    dueSoonDays: value('dueSoonDays'),
  };
}

/** The query of a dashboard request: the filters set (empty ones left to the service's defaults). */
export function filterQuery(filters: Filters, extra: Record<string, string> = {}): URLSearchParams {
  const query = new URLSearchParams(extra);
  for (const name of NAMES) if (filters[name] !== '') query.set(name, filters[name]);
  return query;
}
