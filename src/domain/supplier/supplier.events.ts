import { z } from 'zod';
import { IdSchema, v2EventSchema } from '../shared/schemas';

export const SUPPLIER_STREAM_CATEGORY = 'supplier';

export const SupplierRegisteredSchema = v2EventSchema(
  'SupplierRegistered',
  z.object({ supplierId: IdSchema, code: z.string(), name: z.string() }),
);
export const SupplierRenamedSchema = v2EventSchema(
  'SupplierRenamed',
  z.object({ supplierId: IdSchema, name: z.string() }),
);

export const SupplierEventSchema = z.discriminatedUnion('type', [
  SupplierRegisteredSchema,
  SupplierRenamedSchema,
]);

export type SupplierRegistered = z.infer<typeof SupplierRegisteredSchema>;
export type SupplierRenamed = z.infer<typeof SupplierRenamedSchema>;
export type SupplierEvent = z.infer<typeof SupplierEventSchema>;
export const SUPPLIER_EVENT_TYPES = SupplierEventSchema.options.map((o) => o.shape.type.value);
