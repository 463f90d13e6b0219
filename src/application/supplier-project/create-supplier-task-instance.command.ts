import type { CreateSupplierTaskInstance } from '../../domain/supplier-project/supplier-project.commands';
import { DeciderCommand } from '../decider.command';

/** The task is not named by the caller: the handler takes it from the template. */
export type CreateSupplierTaskInstanceRequest = Omit<CreateSupplierTaskInstance, 'data'> & {
  data: Omit<CreateSupplierTaskInstance['data'], 'taskId'>;
};

export class CreateSupplierTaskInstanceCommand extends DeciderCommand<CreateSupplierTaskInstanceRequest> {}
