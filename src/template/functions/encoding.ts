/**
 * json, jsonArray, base64Encode, base64Decode, parseBool, with Go's results and error
 * texts, except that no error quotes the value: values are often secrets, and errors
 * end up in logs. The engine's error names the template position (and Go's names the
 * call, e.g. `at <json (getv "/db/creds")>`), which is enough to find the key.
 */
import { defineFunction, type TemplateFunction } from './define.js';
import { GoList, toGoValue } from './values.js';

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
  throw new Error('strconv.ParseBool: parsing (value not shown): invalid syntax');
}

/** JSON.parse, with an error that never quotes the text (Node's messages do). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(text.trim() === '' ? 'unexpected end of JSON input' : 'invalid JSON (value not shown)');
  }
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

export const encodingFunctions: Record<string, TemplateFunction> = {
  json: defineFunction(['string'], ([text]) => {
    const parsed = parseJson(text as string);
    // Go: `null` unmarshals to a nil map without error.
    if (parsed === null) return toGoValue({});
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`json: cannot unmarshal ${jsonKind(parsed)} into Go value of type map[string]interface {}`);
    }
    return toGoValue(parsed);
  }),
  jsonArray: defineFunction(['string'], ([text]) => {
    const parsed = parseJson(text as string);
    if (parsed === null) return GoList.fromItems([]);
    if (!Array.isArray(parsed)) throw new Error(`json: cannot unmarshal ${jsonKind(parsed)} into Go value of type []interface {}`);
    return toGoValue(parsed);
  }),
  base64Encode: defineFunction(['string'], ([text]) => Buffer.from(text as string, 'utf8').toString('base64')),
  base64Decode: defineFunction(['string'], ([text]) => decodeBase64(text as string)),
  parseBool: defineFunction(['string'], ([text]) => parseGoBool(text as string)),
};
