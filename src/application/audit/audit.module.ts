import { Module } from '@nestjs/common';
import { AuditQueries } from './audit-queries';

/** The auditors' reads of the event store. */
@Module({ providers: [AuditQueries], exports: [AuditQueries] })
export class AuditModule {}
