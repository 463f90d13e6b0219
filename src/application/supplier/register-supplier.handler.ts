import { CommandHandler } from '@nestjs/cqrs';
import { SupplierDeciderHandler } from './supplier-decider.handler';
import { RegisterSupplierCommand } from './register-supplier.command';

@CommandHandler(RegisterSupplierCommand)
export class RegisterSupplierHandler extends SupplierDeciderHandler {}
