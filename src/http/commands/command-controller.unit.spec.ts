import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import type { CommandRequest } from '../../application/decider.command';
import { SupplierCommands } from '../../application/supplier/supplier.commands';
import type { DomainCommand } from '../../domain/shared/decider';
import { SupplierRoutes } from '../supplier/supplier.routes';
import { commandController } from './command-controller';

const request: CommandRequest<DomainCommand> = {
  command: {
    type: 'RenameSupplier',
    data: { supplierId: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Acme' },
    metadata: { occurredAt: '2026-01-05T08:00:00.000Z', actor: 'a' },
  },
  expectedRevision: 3,
};

describe('commandController', () => {
  const Controller = commandController('Supplier', SupplierRoutes, SupplierCommands);
  const method = (name: string): object =>
    Reflect.get(Controller.prototype as object, name) as object;

  it('mounts each route of the table at its method, path and status', () => {
    expect(Controller.name).toBe('SupplierController');
    expect(Reflect.getMetadata('path', method('register'))).toBe('/suppliers');
    expect(Reflect.getMetadata('method', method('register'))).toBe(RequestMethod.POST);
    expect(Reflect.getMetadata('__httpCode__', method('register'))).toBe(201);
    expect(Reflect.getMetadata('path', method('rename'))).toBe('/suppliers/:supplierId/name');
    expect(Reflect.getMetadata('method', method('rename'))).toBe(RequestMethod.PUT);
    expect(Reflect.getMetadata('__httpCode__', method('rename'))).toBe(200);
  });

  it("sends the route's command class on the bus, with the request as it came", async () => {
    const sent: unknown[] = [];
    const bus = {
      execute: async (command: unknown) => sent.push(command),
    } as unknown as CommandBus;
    const controller = new Controller(bus) as Record<string, (r: typeof request) => unknown>;
    await controller.rename?.(request);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(SupplierCommands.RenameSupplier);
    expect(sent[0]).not.toBeInstanceOf(SupplierCommands.RegisterSupplier);
    expect(sent[0]).toMatchObject({ command: request.command, expectedRevision: 3 });
  });

  it('refuses a route whose command the aggregate has no class for', () => {
    const routes = { register: { ...SupplierRoutes.register, command: 'EnrolSupplier' } };
    expect(() => commandController('Supplier', routes, SupplierCommands)).toThrow(
      'POST /suppliers: Supplier has no command EnrolSupplier',
    );
  });
});
