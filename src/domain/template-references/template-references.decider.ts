import { Map as PersistentMap } from 'immutable';
import {
  assertNever,
  ignoreUnknownEvent,
  streamId,
  type Decider,
  type Unstamped,
} from '../shared/decider';
import { DomainErrorCodes, invariant, notFound } from '../shared/domain-error';
import type { TemplateReferencesCommand } from './template-references.commands';
import {
  TEMPLATE_REFERENCES_EVENT_TYPES,
  TEMPLATE_REFERENCES_STREAM_CATEGORY,
  TemplateReferencesEventSchema,
  type TemplateReferencesEvent,
} from './template-references.events';

export interface TemplateReferences {
  /**
   * supplierTaskInstanceId → its supplier project instance. A persistent map: a template of a
   * project with 10,000 suppliers has 10,000 references, and a state that copied them at each
   * new one made deciding them one after the other quadratic (the claims backfill of an import).
   */
  instances: PersistentMap<string, string>;
  /** A removal closed them: the template takes no new instance. */
  closed: boolean;
}

export const initialState: TemplateReferences = { instances: PersistentMap(), closed: false };

export const decide = (
  command: TemplateReferencesCommand,
  state: TemplateReferences,
): Array<Unstamped<TemplateReferencesEvent>> => {
  switch (command.type) {
    case 'ReferenceTemplate': {
      const { templateId, supplierTaskInstanceId } = command.data;
      if (state.instances.has(supplierTaskInstanceId)) return [];
      if (state.closed) {
        throw notFound(DomainErrorCodes.TEMPLATE_NOT_FOUND, 'project task template is removed', {
          templateId,
        });
      }
      return [{ type: 'TemplateReferenced', schemaVersion: 2, data: command.data }];
    }
    case 'ReleaseTemplateReference': {
      if (!state.instances.has(command.data.supplierTaskInstanceId)) return [];
      return [{ type: 'TemplateReferenceReleased', schemaVersion: 2, data: command.data }];
    }
    case 'CloseTemplateReferences': {
      const { templateId, releasing = [] } = command.data;
      const entries = [...state.instances.entries()];
      const released = entries.filter(([instance]) => releasing.includes(instance));
      const referencing = entries.filter(([instance]) => !releasing.includes(instance));
      if (referencing.length > 0) {
        throw invariant(
          DomainErrorCodes.TEMPLATE_REFERENCED,
          'supplier task instances reference the template: it cannot be removed',
          {
            templateId,
            supplierTaskInstances: referencing.map(
              ([supplierTaskInstanceId, supplierProjectInstanceId]) => ({
                supplierProjectInstanceId,
                supplierTaskInstanceId,
              }),
            ),
          },
        );
      }
      const releases = released.map(
        ([supplierTaskInstanceId, supplierProjectInstanceId]) =>
          ({
            type: 'TemplateReferenceReleased',
            schemaVersion: 2,
            data: { templateId, supplierProjectInstanceId, supplierTaskInstanceId },
          }) as const,
      );
      if (state.closed) return releases;
      return [
        ...releases,
        { type: 'TemplateReferencesClosed', schemaVersion: 2, data: { templateId } },
      ];
    }
    case 'ReopenTemplateReferences': {
      if (!state.closed) return [];
      return [{ type: 'TemplateReferencesReopened', schemaVersion: 2, data: command.data }];
    }
    default:
      return assertNever(command);
  }
};

export const evolve = (
  state: TemplateReferences,
  event: Unstamped<TemplateReferencesEvent>,
): TemplateReferences => {
  switch (event.type) {
    case 'TemplateReferenced': {
      const { supplierTaskInstanceId, supplierProjectInstanceId } = event.data;
      return {
        ...state,
        instances: state.instances.set(supplierTaskInstanceId, supplierProjectInstanceId),
      };
    }
    case 'TemplateReferenceReleased':
      return { ...state, instances: state.instances.delete(event.data.supplierTaskInstanceId) };
    case 'TemplateReferencesClosed':
      return { ...state, closed: true };
    case 'TemplateReferencesReopened':
      return { ...state, closed: false };
    default:
      return ignoreUnknownEvent(event, state);
  }
};

export const templateReferencesDecider: Decider<
  TemplateReferencesCommand,
  TemplateReferencesEvent,
  TemplateReferences
> = {
  streamCategory: TEMPLATE_REFERENCES_STREAM_CATEGORY,
  eventSchema: TemplateReferencesEventSchema,
  eventTypes: TEMPLATE_REFERENCES_EVENT_TYPES,
  initialState,
  streamIdFor: (command) => streamId(TEMPLATE_REFERENCES_STREAM_CATEGORY, command.data.templateId),
  decide,
  evolve,
};
