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

/** Abbreviations forces use in handles, for words too long to fit whole. */
const SHORT: Record<string, string> = {
  neighbourhood: 'Nbhd', neighbourhoods: 'Nbhds', division: 'Div', department: 'Dept', operations: 'Ops', operational: 'Ops', community: 'Comm',
  communities: 'Comms', communications: 'Comms', engagement: 'Engage', investigations: 'Inv', intelligence: 'Intel', safeguarding: 'Safeguard',
  roads: 'Roads', policing: 'Pol', police: 'Pol', response: 'Resp', partnership: 'Partner', partnerships: 'Partners', information: 'Info',
};

/** A word shortened without cutting it off mid-way: a known abbreviation, else its consonants ("Huddersfield" → "Hddrsfld"). */
function abbreviate(word: string): string {
  return SHORT[word.toLowerCase()] ?? word[0]! + word.slice(1).replace(/[aeiou]/gi, '');
}

/**
 * A compliant suggestion: the prefix plus the given words in CamelCase,
 * dropping leading words ("Example Police North" → "North") until it fits,
 * then trying the words abbreviated ("Neighbourhood" → "Nbhd"). A word is
 * never cut off part-way ("@ExamplePolNeighbourh"): with nothing that fits,
 * there is no suggestion (an empty string).
 */
export function suggestHandle(rule: NamingRule, words: string): string {
  // Words the prefix already says ("Example Police" for "ExamplePol") are not said twice.
  const said = rule.prefix.toLowerCase();
  const parts = words.replace(new RegExp(`^@?${escapeRe(rule.prefix)}`, 'i'), '').split(/[^A-Za-z0-9]+/).filter(Boolean)
    .filter((w) => !said.includes(w.toLowerCase()) && !said.includes(abbreviate(w).toLowerCase()))
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  const fits = (h: string) => new RegExp(`^(?:${rule.pattern})$`).test(h);
  for (let i = 0; i < parts.length; i++) {
    // The longest words are abbreviated first, one at a time, so short ones stay whole ("NorthNbhd").
    const words = parts.slice(i);
    for (;;) {
      const candidate = rule.prefix + words.join('');
      if (fits(candidate)) return candidate;
      const longest = words.reduce((best, w, j) => (abbreviate(w) !== w && (best < 0 || w.length > words[best]!.length) ? j : best), -1);
      if (longest < 0) break;
      words[longest] = abbreviate(words[longest]!);
    }
  }
  return '';
}

/** Undefined when the handle follows the rule; otherwise the rule and a compliant suggestion. */
export function handleProblem(rule: NamingRule, handle: string, words: string): string | undefined {
  const bare = bareHandle(handle);
  if (new RegExp(`^(?:${rule.pattern})$`).test(bare)) return undefined;
  const suggestion = suggestHandle(rule, words || bare);
  return `The handle must follow the force’s naming rule: ${rule.description}.${suggestion ? ` For example: @${suggestion}` : ''}`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
