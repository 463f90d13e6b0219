import type { SupplierTaskNoteAdded } from '../src/domain/supplier-project/supplier-project.events';
import { defineV1Step, type V2Of } from './upcaster-step';
import { V1SupplierTaskNoteAddedData } from './v1.events';

/**
 * V1 SupplierTaskNoteAdded → V2 SupplierTaskNoteAdded. Text and author are kept; the note's time is
 * the event's metadata.occurredAt.
 */
export const supplierTaskNoteAddedUpcaster = defineV1Step({
  fromType: 'SupplierTaskNoteAdded',
  schema: V1SupplierTaskNoteAddedData,
  toV2: (data): V2Of<SupplierTaskNoteAdded> => ({ type: 'SupplierTaskNoteAdded', data }),
});
