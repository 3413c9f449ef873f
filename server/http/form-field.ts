/** A text field of a parsed form or JSON body, or '' when it is missing or not text (for re-showing what was typed). */
export function formField(body: unknown, name: string): string {
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
