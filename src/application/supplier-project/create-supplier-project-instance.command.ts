import type { CreateSupplierProjectInstance } from '../../domain/supplier-project/supplier-project.commands';
import { DeciderCommand } from '../decider.command';

export class CreateSupplierProjectInstanceCommand extends DeciderCommand<CreateSupplierProjectInstance> {}
