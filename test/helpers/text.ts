/** All text anywhere in a card or block payload, for assertions that ignore layout. */
export function textOf(node: unknown): string {
  return strings(node).join(' ');
}

/** Every string leaf in a payload. */
export function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === 'object') return Object.values(node).flatMap(strings);
  return [];
}
