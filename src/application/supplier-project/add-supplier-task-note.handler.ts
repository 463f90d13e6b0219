import { CommandHandler } from '@nestjs/cqrs';
import { SupplierProjectDeciderHandler } from './supplier-project-decider.handler';
import { AddSupplierTaskNoteCommand } from './add-supplier-task-note.command';

@CommandHandler(AddSupplierTaskNoteCommand)
export class AddSupplierTaskNoteHandler extends SupplierProjectDeciderHandler {}
