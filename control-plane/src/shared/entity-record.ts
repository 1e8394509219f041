/**
 * Record types more than one feature reads (requests, strategies, integrations), kept out of any
 * one feature so none of them has to import another's strategy or store module for a shape.
 */

/** One entity row as stored (`data` holds the resource's attributes as in schemas/). */
export interface EntityRecord {
  id: string;
  kind: string;
  type: string | null;
  name: string | null;
  data: Record<string, unknown>;
}
