import { safeError } from './safe-errors.js';

/**
 * Redaction by field name at any depth (pino's own `redact` takes paths of fixed depth only). A key
 * is compared without case, `_` or `-`, so `fullName`, `full_name` and `FULL-NAME` are one name.
 * Errors anywhere become their type and code: their messages may quote personal data.
 */
export const CENSOR = '[redacted]';

const personal = [
  // names and household
  'name',
  'fullname',
  'firstname',
  'lastname',
  'familyname',
  'givenname',
  'customername',
  'recipientname',
  'kana',
  'namekana',
  'fullnamekana',
  'household',
  'householdname',
  'householdmembers',
  // birth date
  'birthdate',
  'dateofbirth',
  'birthday',
  'dob',
  // address
  'address',
  'address1',
  'address2',
  'addressline',
  'postalcode',
  'postcode',
  'zip',
  'zipcode',
  'prefecture',
  'city',
  'street',
  // contact
  'phone',
  'phonenumber',
  'tel',
  'telephone',
  'mobile',
  'email',
  'emailaddress',
  'mail',
  // what the letter and the gift carry
  'loginkey',
  'registrationcode',
  'giftcode',
  'emoneycode',
  'cardcode',
  'pin',
  // secrets
  'password',
  'passwordhash',
  'secret',
  'totpsecret',
  'token',
  'csrf',
  'cookie',
  'setcookie',
  'authorization',
  // what PostgreSQL adds to an error: they quote values
  'detail',
  'hint',
  'where',
  'parameters',
  'body',
];
const REDACTED_KEYS = new Set(personal);
/** Any key ending so: `customerAddress`, `deliveryPostalCode`, `newLoginKey`… */
const REDACTED_SUFFIXES = [
  'kana',
  'address',
  'postalcode',
  'zipcode',
  'phone',
  'email',
  'loginkey',
  'registrationcode',
  'giftcode',
  'emoneycode',
  'birthdate',
  'household',
  'fullname',
  'password',
  'secret',
];

const normalise = (key: string) => key.toLowerCase().replace(/[_-]/g, '');

export function isRedactedKey(key: string): boolean {
  const k = normalise(key);
  return REDACTED_KEYS.has(k) || REDACTED_SUFFIXES.some((s) => k.endsWith(s));
}

/** Keys whose text is an error's message: kept only when it cannot be quoting a value. */
const MESSAGE_KEYS = new Set(['err', 'error', 'message', 'reason', 'failedreason']);
const quotesNothing = (s: string) => /^[\x20-\x7e]{0,300}$/.test(s) && !/["'`]/.test(s);
export const WITHHELD = '[message withheld]';

const isPlain = (v: object) => {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

const MAX_DEPTH = 12;

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return safeError(value);
  if (seen.has(value)) return '[circular]';
  if (!Array.isArray(value) && !isPlain(value)) return value; // req, res, Buffer, Date: their serializers
  if (depth >= MAX_DEPTH) return '[deep]';
  seen.add(value);
  const out = Array.isArray(value)
    ? value.map((v) => walk(v, depth + 1, seen))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, field(k, v, depth, seen)]));
  seen.delete(value);
  return out;
}

function field(key: string, value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (isRedactedKey(key)) return CENSOR;
  if (typeof value === 'string' && MESSAGE_KEYS.has(normalise(key)) && !quotesNothing(value)) return WITHHELD;
  return walk(value, depth + 1, seen);
}

/** A copy of `obj` with every personal field, at any depth, replaced (the input is left alone). */
export function redactDeep<T extends object>(obj: T): T {
  return walk(obj, 0, new WeakSet()) as T;
}
