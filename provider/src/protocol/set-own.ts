/**
 * Sets an own enumerable property, even for the key `__proto__`, which plain assignment would
 * turn into a prototype change. Map keys and attribute names come from users' configurations.
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
