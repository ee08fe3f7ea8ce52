import { createRequire } from 'node:module';

// adaptivecards cannot be imported as an ES module in plain Node; its UMD build can be required.
const require = createRequire(import.meta.url);
const AC = require('adaptivecards/dist/adaptivecards.js');

/** Problems the official Adaptive Cards parser finds in a card: unknown elements or properties, duplicate ids, bad values. */
export function adaptiveCardProblems(card: object): string[] {
  const serializationContext = new AC.SerializationContext(new AC.Version(1, 5));
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, serializationContext);
  const problems: string[] = [];
  for (let i = 0; i < serializationContext.eventCount; i++) {
    const e = serializationContext.getEventAt(i);
    problems.push(`parse: ${e.message}`);
  }
  const validation = parsed.validateProperties();
  for (let i = 0; i < validation.validationEvents.length; i++) {
    problems.push(`validate: ${validation.validationEvents[i].message}`);
  }
  problems.push(...unknownProperties(card, serializationContext));
  const json = JSON.stringify(card);
  // Template directives must never reach Teams (user text may contain "${…}", which is fine as data).
  if (/"\$(data|when)":/.test(json)) problems.push('unexpanded template directive left in the card');
  const ids = inputIds(card);
  if (new Set(ids).size !== ids.length) problems.push(`duplicate input ids: ${ids.join(', ')}`);
  if (Buffer.byteLength(json) > 28 * 1024) problems.push(`card is ${Buffer.byteLength(json)} bytes; Teams cards must stay under 28 KB`);
  return problems;
}

/** Input ids in a card, to check they are unique. */
export function inputIds(card: unknown): string[] {
  const ids: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') ids.push(o.id);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return ids;
}


/** Child collections the parser reads by hand rather than through an object's schema. */
const STRUCTURAL = new Set(['body', 'actions', 'items', 'inlines', 'choices', 'columns', 'facts', 'fallback', 'selectAction', 'card']);

/**
 * Properties the parser does not know (or that are misspelt). The parser
 * keeps quiet about them, so each typed object's keys are checked against
 * the schema of the class the parser registers for its type.
 */
function unknownProperties(card: object, context: { elementRegistry: Registry; actionRegistry: Registry }): string[] {
  const problems: string[] = [];
  const known = (type: string): string[] | undefined => {
    const registration = type === 'AdaptiveCard' ? { objectType: AC.AdaptiveCard } : context.elementRegistry.findByName(type) ?? context.actionRegistry.findByName(type);
    if (!registration) return undefined;
    const schema = new registration.objectType().getSchema();
    return Array.from({ length: schema.getCount() }, (_, i) => schema.getItemAt(i).name as string);
  };
  const choiceKeys = ['title', 'value'];
  const walk = (node: unknown, at: string, inChoices = false) => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`, inChoices));
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const allowed = inChoices ? choiceKeys : typeof o.type === 'string' ? known(o.type) : undefined;
    if (allowed) for (const k of Object.keys(o)) if (!allowed.includes(k) && !STRUCTURAL.has(k)) problems.push(`unknown property ${at}.${k}`);
    for (const [k, v] of Object.entries(o)) if (STRUCTURAL.has(k)) walk(v, `${at}.${k}`, k === 'choices');
  };
  walk(card, '');
  return problems;
}

interface Registry {
  findByName(name: string): { objectType: new () => { getSchema(): { getCount(): number; getItemAt(i: number): { name: string } } } } | undefined;
}
