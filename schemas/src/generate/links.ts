/**
 * OpenAPI links from a response whose body has the new resource's `id` to the operations that
 * take it as their `{id}` path parameter (clients and test generators follow them).
 */
export function idLinks(operationIds: string[]): Record<string, unknown> {
  return Object.fromEntries(operationIds.map((operationId) => [operationId, { operationId, parameters: { id: '$response.body#/id' } }]));
}
