/**
 * How the HTTP layer maps a rejection: not_found → 404, invariant → 422, conflict → 409.
 * Codes are stable API: clients and the exception filter match on them, never on messages.
 */
export type DomainErrorKind = 'not_found' | 'invariant' | 'conflict';

export const DomainErrorCodes = {
  SUPPLIER_ALREADY_EXISTS: 'SUPPLIER.ALREADY_EXISTS',
  SUPPLIER_NOT_FOUND: 'SUPPLIER.NOT_FOUND',
  SUPPLIER_CODE_TAKEN: 'SUPPLIER.CODE_TAKEN',
  PROJECT_ALREADY_EXISTS: 'PROJECT.ALREADY_EXISTS',
  PROJECT_NOT_FOUND: 'PROJECT.NOT_FOUND',
  PROJECT_CODE_TAKEN: 'PROJECT.CODE_TAKEN',
  TEMPLATE_ALREADY_EXISTS: 'TEMPLATE.ALREADY_EXISTS',
  TEMPLATE_NOT_FOUND: 'TEMPLATE.NOT_FOUND',
  TEMPLATE_REFERENCED: 'TEMPLATE.REFERENCED',
  TASK_TYPE_ALREADY_EXISTS: 'TASK_TYPE.ALREADY_EXISTS',
  TASK_TYPE_NOT_FOUND: 'TASK_TYPE.NOT_FOUND',
  SECTION_ALREADY_EXISTS: 'SECTION.ALREADY_EXISTS',
  SECTION_NOT_FOUND: 'SECTION.NOT_FOUND',
  SECTION_CODE_TAKEN: 'SECTION.CODE_TAKEN',
  SECTION_NOT_EMPTY: 'SECTION.NOT_EMPTY',
  TASK_ALREADY_EXISTS: 'TASK.ALREADY_EXISTS',
  TASK_NOT_FOUND: 'TASK.NOT_FOUND',
  TASK_PARENT_NOT_FOUND: 'TASK.PARENT_NOT_FOUND',
  TASK_PARENT_IS_SUBTASK: 'TASK.PARENT_IS_SUBTASK',
  TASK_SECTION_MISMATCH: 'TASK.SECTION_MISMATCH',
  TASK_SUBTASK_MOVES_WITH_PARENT: 'TASK.SUBTASK_MOVES_WITH_PARENT',
  SUPPLIER_PROJECT_ALREADY_EXISTS: 'SUPPLIER_PROJECT.ALREADY_EXISTS',
  SUPPLIER_PROJECT_NOT_FOUND: 'SUPPLIER_PROJECT.NOT_FOUND',
  SUPPLIER_PROJECT_ALREADY_ASSIGNED: 'SUPPLIER_PROJECT.ALREADY_ASSIGNED',
  TASK_INSTANCE_ALREADY_EXISTS: 'TASK_INSTANCE.ALREADY_EXISTS',
  TASK_INSTANCE_NOT_FOUND: 'TASK_INSTANCE.NOT_FOUND',
  TASK_INSTANCE_TEMPLATE_TAKEN: 'TASK_INSTANCE.TEMPLATE_TAKEN',
  STATUS_INVALID_TRANSITION: 'STATUS.INVALID_TRANSITION',
  NOTE_ALREADY_EXISTS: 'NOTE.ALREADY_EXISTS',
} as const;

export type DomainErrorCode = (typeof DomainErrorCodes)[keyof typeof DomainErrorCodes];

/** Thrown by `decide`; a plain class so the domain stays free of framework exceptions. */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    readonly kind: DomainErrorKind,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const notFound = (
  code: DomainErrorCode,
  message: string,
  details?: Record<string, unknown>,
): DomainError => new DomainError(code, 'not_found', message, details);

export const invariant = (
  code: DomainErrorCode,
  message: string,
  details?: Record<string, unknown>,
): DomainError => new DomainError(code, 'invariant', message, details);

export const conflict = (
  code: DomainErrorCode,
  message: string,
  details?: Record<string, unknown>,
): DomainError => new DomainError(code, 'conflict', message, details);

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
