// adaptivecards-templating's typings import `adaptivecards/src/schema`, a raw
// .ts source file that does not type-check as an ES module. Bluedesk only
// needs the card type, so the import is pointed here (tsconfig "paths").
export interface IAdaptiveCard {
  type: 'AdaptiveCard';
  [key: string]: unknown;
}
