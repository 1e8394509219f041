/** AWS SDK failures as DeliveryErrors: the error name and message (the SDK never echoes credentials there). */
import { DeliveryError } from './log-sink';

/** `doing`: what was attempted, e.g. `PutRecordBatch to delivery stream audit`. */
export function deliveryErrorFromAws(error: unknown, doing: string): DeliveryError {
  const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const what = e.cause?.code ?? e.code ?? e.name ?? 'Error';
  return new DeliveryError(`${doing} failed: ${what}${e.message && e.message !== what ? `: ${e.message.slice(0, 300)}` : ''}`);
}
