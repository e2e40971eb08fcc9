/** The environment a script saw, from `env -0` (values may hold newlines). */
export function environmentFrom(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const entry of text.split('\0').filter(Boolean)) {
    const equals = entry.indexOf('=');
    variables[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return variables;
}
