import {
  conflict,
  DomainError,
  DomainErrorCodes,
  invariant,
  isDomainError,
  notFound,
} from './domain-error';

describe('DomainError', () => {
  it('carries a stable code and the kind the HTTP layer maps to a status', () => {
    const errors = [
      notFound(DomainErrorCodes.TASK_NOT_FOUND, 'x'),
      invariant(DomainErrorCodes.SECTION_NOT_EMPTY, 'x'),
      conflict(DomainErrorCodes.SECTION_CODE_TAKEN, 'x', { code: 'PA2' }),
    ];
    expect(errors.map((e) => [e.code, e.kind])).toEqual([
      ['TASK.NOT_FOUND', 'not_found'],
      ['SECTION.NOT_EMPTY', 'invariant'],
      ['SECTION.CODE_TAKEN', 'conflict'],
    ]);
    expect(errors.every((e) => e instanceof DomainError && isDomainError(e))).toBe(true);
    expect(errors[2]?.details).toEqual({ code: 'PA2' });
  });

  it('tells domain errors from other errors', () => {
    expect(isDomainError(new Error('boom'))).toBe(false);
  });
});
