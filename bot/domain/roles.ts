/**
 * The roles named in the College of Policing APP "Social media" guidance.
 * Config files use these identifiers; the labels are what people see.
 */
export const ROLES = [
  'corporate_comms',
  'digital_desk',
  'information_management',
  'information_security',
  'investigations_intelligence',
  'neighbourhood',
  'professional_standards',
  'command',
] as const;

/** One of the guidance's roles. */
export type Role = (typeof ROLES)[number];

/** Human-readable role names, used in help and refusals. */
export const ROLE_LABELS: Record<Role, string> = {
  corporate_comms: 'Corporate communications',
  digital_desk: 'Contact / digital desk',
  information_management: 'Information management',
  information_security: 'Information security',
  investigations_intelligence: 'Investigations and intelligence',
  neighbourhood: 'Neighbourhood team',
  professional_standards: 'Professional standards',
  command: 'Command',
};
