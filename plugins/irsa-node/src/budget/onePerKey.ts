/** `make`, called once per key; every later call for that key gets the same value. */
export function onePerKey<V>(make: (key: string) => V): (key: string) => V {
  const made = new Map<string, V>();
  return key => {
    if (!made.has(key)) made.set(key, make(key));
    return made.get(key)!;
  };
}
