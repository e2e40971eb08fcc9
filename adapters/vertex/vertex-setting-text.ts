/** A setting's text trimmed, or undefined when it is unset or blank (a blank setting counts as unset). */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
