/** json, jsonArray, base64Encode, base64Decode, parseBool — with Go's error texts. */
import { toGoValue } from '../go-format.js';
import { expectArity, expectString, type HelperFn } from './define.js';

const BASE64 = /^[A-Za-z0-9+/]$/;

/** Go's base64.StdEncoding.DecodeString, including where it reports bad input. */
export function decodeBase64(text: string): string {
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '=') {
      padding++;
      continue;
    }
    if (padding > 0 || !BASE64.test(c)) throw new Error(`illegal base64 data at input byte ${i - padding}`);
  }
  if (text.length % 4 !== 0 || padding > 2) throw new Error(`illegal base64 data at input byte ${text.length - (text.length % 4 || 4)}`);
  return Buffer.from(text, 'base64').toString('utf8');
}

export function parseGoBool(text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new Error(`strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid JSON: ${(error as Error).message}`);
  }
}

export const encodingHelpers: Record<string, HelperFn> = {
  json: (args) => {
    expectArity(args, 1);
    const parsed = parseJson(expectString(args[0]));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('json: cannot unmarshal a non-object into map[string]interface {}');
    }
    return toGoValue(parsed);
  },
  jsonArray: (args) => {
    expectArity(args, 1);
    const parsed = parseJson(expectString(args[0]));
    if (!Array.isArray(parsed)) throw new Error('json: cannot unmarshal a non-array into []interface {}');
    return toGoValue(parsed);
  },
  base64Encode: (args) => (expectArity(args, 1), Buffer.from(expectString(args[0]), 'utf8').toString('base64')),
  base64Decode: (args) => (expectArity(args, 1), decodeBase64(expectString(args[0]))),
  parseBool: (args) => (expectArity(args, 1), parseGoBool(expectString(args[0]))),
};
