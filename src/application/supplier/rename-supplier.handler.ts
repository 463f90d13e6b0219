import { CommandHandler } from '@nestjs/cqrs';
import { SupplierDeciderHandler } from './supplier-decider.handler';
import { RenameSupplierCommand } from './rename-supplier.command';

@CommandHandler(RenameSupplierCommand)
export class RenameSupplierHandler extends SupplierDeciderHandler {}
