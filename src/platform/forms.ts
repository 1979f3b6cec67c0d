/** The first message of each form field, for re-rendering a form next to its fields. */
export function fieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const i of issues) errors[String(i.path[0] ?? 'form')] ??= i.message;
  return errors;
}
