import { z } from 'zod';

export const SupplierTaskStatusSchema = z.enum(['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED']);
export type SupplierTaskStatus = z.infer<typeof SupplierTaskStatusSchema>;

export interface StatusMove {
  from: SupplierTaskStatus;
  to: SupplierTaskStatus;
}

/**
 * The only moves a V2 command may make, one per command. V1 history holds others
 * (NOT_STARTED → COMPLETED); those are facts that evolve folds, never moves decide allows.
 */
export const StatusMoves = {
  start: { from: 'NOT_STARTED', to: 'IN_PROGRESS' },
  complete: { from: 'IN_PROGRESS', to: 'COMPLETED' },
  reopen: { from: 'COMPLETED', to: 'IN_PROGRESS' },
} as const satisfies Record<string, StatusMove>;
