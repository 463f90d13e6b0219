import type { AddSupplierTaskNote } from '../../domain/supplier-project/supplier-project.commands';
import { DeciderCommand } from '../decider.command';

export class AddSupplierTaskNoteCommand extends DeciderCommand<AddSupplierTaskNote> {}
