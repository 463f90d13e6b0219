/**
 * The due date a supplier task instance is held to. Instances reference their template by id
 * and never copy its date, so a change of the template's date reaches every instance that has
 * no override, with no event on the instance streams.
 */
export const effectiveDueDate = (
  instanceOverride: string | null,
  templateDueDate: string | null,
): string | null => instanceOverride ?? templateDueDate;

export const isDueDateOverridden = (instanceOverride: string | null): boolean =>
  instanceOverride !== null;
