import { z } from 'zod';

/**
 * What a key may do, one role per job (after KurrentDB's `$admins`/`$ops` and Axon Server's
 * per-capability roles). `admin` passes every check; the others only their own routes.
 */
export const ROLES = ['writer', 'auditor', 'manager', 'operator', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** A key name is what the audit trail records as the actor of every event it writes. */
export const KeyNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]*$/u, 'no control characters');
