import type { Activity } from 'botbuilder';

/** A card action from Teams, whichever way it arrived. */
export interface CardAction {
  verb: string;
  data: Record<string, unknown>;
}

/**
 * Reads an `adaptiveCard/action` invoke (`value.action.verb` + `data`) or an
 * Action.Submit message (`value` as an object or a JSON string). The verb can
 * be missing from an invoke: it then comes from `data.verb`.
 */
export function readCardAction(activity: Activity): CardAction | undefined {
  let value: unknown = activity.value;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(value)) return undefined;
  const action = isRecord(value.action) ? value.action : undefined;
  const data = activity.type === 'invoke' ? (action && isRecord(action.data) ? action.data : {}) : value;
  const verb = (action && typeof action.verb === 'string' && action.verb) || (typeof data.verb === 'string' ? data.verb : '');
  return verb ? { verb, data } : undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field from card data, or an empty string. */
export function str(data: Record<string, unknown>, key: string): string {
  const v = data[key];
  return typeof v === 'string' ? v : '';
}
