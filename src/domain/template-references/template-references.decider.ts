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
  /** supplierTaskInstanceId → its supplier project instance. */
  instances: Readonly<Record<string, string>>;
  /** A removal closed them: the template takes no new instance. */
  closed: boolean;
}

export const initialState: TemplateReferences = { instances: {}, closed: false };

export const decide = (
  command: TemplateReferencesCommand,
  state: TemplateReferences,
): Array<Unstamped<TemplateReferencesEvent>> => {
  switch (command.type) {
    case 'ReferenceTemplate': {
      const { templateId, supplierTaskInstanceId } = command.data;
      if (state.instances[supplierTaskInstanceId] !== undefined) return [];
      if (state.closed) {
        throw notFound(DomainErrorCodes.TEMPLATE_NOT_FOUND, 'project task template is removed', {
          templateId,
        });
      }
      return [{ type: 'TemplateReferenced', schemaVersion: 2, data: command.data }];
    }
    case 'ReleaseTemplateReference': {
      if (state.instances[command.data.supplierTaskInstanceId] === undefined) return [];
      return [{ type: 'TemplateReferenceReleased', schemaVersion: 2, data: command.data }];
    }
    case 'CloseTemplateReferences': {
      const { templateId, releasing = [] } = command.data;
      const released = Object.entries(state.instances).filter(([instance]) =>
        releasing.includes(instance),
      );
      const referencing = Object.entries(state.instances).filter(
        ([instance]) => !releasing.includes(instance),
      );
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

/**
 * Folds a run of events with one copy of the instance map for the whole run, not one per
 * event: a template of a project with 10,000 suppliers has 10,000 references, and copying them
 * at each made loading its stream quadratic (15 s for 10,000 events). The state given is never
 * changed; the copy is this fold's own until it returns.
 */
export const evolveAll = (
  state: TemplateReferences,
  events: ReadonlyArray<Unstamped<TemplateReferencesEvent>>,
): TemplateReferences => {
  let closed = state.closed;
  let instances: Record<string, string> | undefined;
  const own = () => (instances ??= { ...state.instances });
  for (const event of events) {
    switch (event.type) {
      case 'TemplateReferenced':
        own()[event.data.supplierTaskInstanceId] = event.data.supplierProjectInstanceId;
        break;
      case 'TemplateReferenceReleased':
        delete own()[event.data.supplierTaskInstanceId];
        break;
      case 'TemplateReferencesClosed':
        closed = true;
        break;
      case 'TemplateReferencesReopened':
        closed = false;
        break;
      default:
        ignoreUnknownEvent(event, state);
    }
  }
  return { instances: instances ?? state.instances, closed };
};

export const evolve = (
  state: TemplateReferences,
  event: Unstamped<TemplateReferencesEvent>,
): TemplateReferences => evolveAll(state, [event]);

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
  evolveAll,
  evolve,
};
