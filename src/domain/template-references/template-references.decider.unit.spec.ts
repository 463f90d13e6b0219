import { foldEvents, type Unstamped } from '../shared/decider';
import { DeciderSpecification } from '../shared/decider-specification';
import type { TemplateReferencesCommand } from './template-references.commands';
import type { TemplateReferencesEvent } from './template-references.events';
import { initialState, templateReferencesDecider } from './template-references.decider';

const templateId = '11111111-1111-4111-8111-111111111111';
const supplierProjectInstanceId = '22222222-2222-4222-8222-222222222222';
const live = '33333333-3333-4333-8333-333333333333';
const dead = '44444444-4444-4444-8444-444444444444';
const metadata = { occurredAt: '2026-01-05T08:00:00.000Z', actor: 'planner@example.com' };
const spec = DeciderSpecification.for(templateReferencesDecider);

const referenced = (supplierTaskInstanceId: string) =>
  ({
    type: 'TemplateReferenced',
    schemaVersion: 2,
    data: { templateId, supplierProjectInstanceId, supplierTaskInstanceId },
  }) as const;
const close = (releasing?: string[]): TemplateReferencesCommand => ({
  type: 'CloseTemplateReferences',
  data: { templateId, ...(releasing && { releasing }) },
  metadata,
});
const closed = { type: 'TemplateReferencesClosed', schemaVersion: 2, data: { templateId } };

describe('template references decider', () => {
  it('Given no reference, closes the template', () => {
    expect(spec.given([]).when(close()).events).toEqual([closed]);
  });

  it('Given a reference, refuses to close, naming the instance', () => {
    expect(spec.given([referenced(live)]).when(close()).error).toMatchObject({
      code: 'TEMPLATE.REFERENCED',
      kind: 'invariant',
      details: {
        templateId,
        supplierTaskInstances: [{ supplierProjectInstanceId, supplierTaskInstanceId: live }],
      },
    });
  });

  it('Given only a dead reference, releases it and closes in one decision', () => {
    expect(spec.given([referenced(dead)]).when(close([dead])).events).toEqual([
      {
        type: 'TemplateReferenceReleased',
        schemaVersion: 2,
        data: { templateId, supplierProjectInstanceId, supplierTaskInstanceId: dead },
      },
      closed,
    ]);
  });

  it('Given a live and a dead reference, refuses naming the live one only', () => {
    const outcome = spec.given([referenced(live), referenced(dead)]).when(close([dead]));
    expect(outcome.error).toMatchObject({
      code: 'TEMPLATE.REFERENCED',
      details: {
        supplierTaskInstances: [{ supplierProjectInstanceId, supplierTaskInstanceId: live }],
      },
    });
  });

  it('ignores a dead instance it does not hold (released already)', () => {
    expect(spec.given([]).when(close([dead])).events).toEqual([closed]);
  });

  it('folds a history into the instances it still references, never changing its input', () => {
    const other = '55555555-5555-4555-8555-555555555555';
    const start = foldEvents(templateReferencesDecider, initialState, [referenced(live)]);
    const history: Array<Unstamped<TemplateReferencesEvent>> = [
      referenced(dead),
      referenced(other),
      { type: 'TemplateReferenceReleased', schemaVersion: 2, data: referenced(dead).data },
      { type: 'TemplateReferencesClosed', schemaVersion: 2, data: { templateId } },
      { type: 'TemplateReferencesReopened', schemaVersion: 2, data: { templateId } },
      { type: 'TemplateReferencesClosed', schemaVersion: 2, data: { templateId } },
    ];
    const folded = foldEvents(templateReferencesDecider, start, history);
    expect(folded.closed).toBe(true);
    expect(folded.instances.toJS()).toEqual({
      [live]: supplierProjectInstanceId,
      [other]: supplierProjectInstanceId,
    });
    expect(start.closed).toBe(false);
    expect(start.instances.toJS()).toEqual({ [live]: supplierProjectInstanceId });
  });
});
