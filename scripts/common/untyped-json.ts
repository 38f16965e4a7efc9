/**
 * JSON whose shape no type describes: properties read from a synthesized
 * template, an AWS JSON request body, a parsed API response. Every reader
 * checks the fields it uses. This is the tools' one deliberate `any`, named so
 * that each use says what it is.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one deliberate any, named above
export type UntypedJson = any;
