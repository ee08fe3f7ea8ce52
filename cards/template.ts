import { readFileSync } from 'node:fs';
import * as ACData from 'adaptivecards-templating';

/** An Adaptive Card as JSON. */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

/**
 * Loads an Adaptive Card template that sits next to a card's code.
 * User data only ever enters through `expand`'s `$root`, so text such as
 * `${...}` in a summary is shown literally, never evaluated.
 */
export function loadTemplate(moduleUrl: string, file = 'template.json'): (data: object) => AdaptiveCard {
  const template = new ACData.Template(JSON.parse(readFileSync(new URL(file, moduleUrl), 'utf8')));
  return (data) => template.expand({ $root: data }) as AdaptiveCard;
}
