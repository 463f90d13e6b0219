import type { SupplierTaskStatus } from '../domain/supplier-project/supplier-task-status';
import type { DashboardFilters, InstanceState } from './dashboard-params';
import type { Cursor } from './keyset-cursor';

export interface InstanceItem {
  id: string;
  supplierId: string;
  projectId: string;
  templateId: string;
  taskId: string | null;
  sectionId: string | null;
  category: string | null;
  status: SupplierTaskStatus;
  dueDate: string | null;
  dueDateOverridden: boolean;
  /** How many notes the instance has; `GET /supplier-task-instances/{id}` lists them. */
  notes: number;
}

export interface InstancesQuery extends DashboardFilters {
  state: InstanceState;
  status?: SupplierTaskStatus;
  limit: number;
  cursor?: Cursor;
}

export interface InstancesPage {
  items: InstanceItem[];
  nextCursor: string | null;
}

/** Stands for "no due date" in the instance rows' due-date key (projections/supplier_tasks). */
export const NO_DUE_DATE = '9999-99-99';
