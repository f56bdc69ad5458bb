/** The object without its undefined fields: the wire omits absent fields rather than sending them empty. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
