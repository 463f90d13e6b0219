import { z } from 'zod';
import { IdSchema, v2EventSchema } from '../shared/schemas';

/**
 * What must be unique across aggregates, each kind in a stream category of its own: one stream
 * per reserved value (`suppliercode-<code>`), whose first event takes it. These streams are not
 * in the V2 union projections handle (`projections/v2-handlers.ts`): read models never see them.
 */
export const RESERVATION_KINDS = {
  supplierCode: {
    category: 'suppliercode',
    reserved: 'SupplierCodeReserved',
    released: 'SupplierCodeReleased',
    holder: 'supplierId',
  },
  projectCode: {
    category: 'projectcode',
    reserved: 'ProjectCodeReserved',
    released: 'ProjectCodeReleased',
    holder: 'projectId',
  },
  supplierAssignment: {
    category: 'supplierassignment',
    reserved: 'SupplierAssignmentReserved',
    released: 'SupplierAssignmentReleased',
    holder: 'supplierProjectInstanceId',
  },
} as const;
export type ReservationKind = keyof typeof RESERVATION_KINDS;

/** `value`: what is reserved, as the command sent it (the stream id holds its normal form). */
const ReservedDataSchema = z.object({ value: z.string(), holderId: IdSchema });
const ReleasedDataSchema = z.object({ holderId: IdSchema });

export const SupplierCodeReservedSchema = v2EventSchema('SupplierCodeReserved', ReservedDataSchema);
export const SupplierCodeReleasedSchema = v2EventSchema('SupplierCodeReleased', ReleasedDataSchema);
export const ProjectCodeReservedSchema = v2EventSchema('ProjectCodeReserved', ReservedDataSchema);
export const ProjectCodeReleasedSchema = v2EventSchema('ProjectCodeReleased', ReleasedDataSchema);
export const SupplierAssignmentReservedSchema = v2EventSchema(
  'SupplierAssignmentReserved',
  ReservedDataSchema,
);
export const SupplierAssignmentReleasedSchema = v2EventSchema(
  'SupplierAssignmentReleased',
  ReleasedDataSchema,
);

export const ReservationEventSchema = z.discriminatedUnion('type', [
  SupplierCodeReservedSchema,
  SupplierCodeReleasedSchema,
  ProjectCodeReservedSchema,
  ProjectCodeReleasedSchema,
  SupplierAssignmentReservedSchema,
  SupplierAssignmentReleasedSchema,
]);
export type ReservationEvent = z.infer<typeof ReservationEventSchema>;
