/** The force's handle naming rule, from config. */
export interface NamingRule {
  /** A regular expression the whole handle must match (without the leading @). */
  pattern: string;
  /** The rule in words, shown when a handle breaks it. */
  description: string;
  /** What compliant handles start with; used to suggest one. */
  prefix: string;
}

/** A handle without its leading @. */
export function bareHandle(handle: string): string {
  return handle.trim().replace(/^@/, '');
}

/**
 * A compliant suggestion: the prefix plus the given words in CamelCase,
 * dropping leading words ("Example Police North" → "North") until it fits,
 * and shortening the last word if even that is too long for the rule.
 */
export function suggestHandle(rule: NamingRule, words: string): string {
  const parts = words.replace(new RegExp(`^@?${escapeRe(rule.prefix)}`, 'i'), '').split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1));
  const fits = (h: string) => new RegExp(`^(?:${rule.pattern})$`).test(h);
  for (let i = 0; i < parts.length; i++) {
    const candidate = rule.prefix + parts.slice(i).join('');
    if (fits(candidate)) return candidate;
  }
  const last = rule.prefix + (parts.at(-1) ?? '');
  for (let n = last.length - 1; n > rule.prefix.length; n--) if (fits(last.slice(0, n))) return last.slice(0, n);
  return rule.prefix + parts.join('');
}

/** Undefined when the handle follows the rule; otherwise the rule and a compliant suggestion. */
export function handleProblem(rule: NamingRule, handle: string, words: string): string | undefined {
  const bare = bareHandle(handle);
  if (new RegExp(`^(?:${rule.pattern})$`).test(bare)) return undefined;
  const suggestion = suggestHandle(rule, words || bare);
  const ok = new RegExp(`^(?:${rule.pattern})$`).test(suggestion);
  return `The handle must follow the force’s naming rule: ${rule.description}.${ok ? ` For example: @${suggestion}` : ''}`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
