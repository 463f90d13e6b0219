import type { ProjectEvent } from '../src/domain/project/project.events';
import type { SupplierEvent } from '../src/domain/supplier/supplier.events';
import type { SupplierProjectEvent } from '../src/domain/supplier-project/supplier-project.events';
import type { TaskTypeEvent } from '../src/domain/task-type/task-type.events';
import type { ProjectionEvent } from './projection-definition';

/** Every V2 event: what projections see, since every read path upcasts. */
export type V2Event = SupplierEvent | ProjectEvent | TaskTypeEvent | SupplierProjectEvent;
type Data<T extends V2Event['type']> = Extract<V2Event, { type: T }>['data'];

/**
 * The payload of an event whose type the caller has just switched on. Upcast events are V2 by
 * construction, and the stored payload was validated when it was written: no parse per event.
 */
export const dataOf = <T extends V2Event['type']>(event: ProjectionEvent, _type: T): Data<T> =>
  event.data as Data<T>;
