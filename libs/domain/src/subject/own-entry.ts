/** Ids come from outside; an id such as "constructor" must not find an inherited member. */
export function ownEntry<T>(records: Readonly<Record<string, T>>, id: string): T | undefined {
  return Object.hasOwn(records, id) ? records[id] : undefined;
}
