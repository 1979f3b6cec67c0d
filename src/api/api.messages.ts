import { CATALOGUES, type Catalogue } from '../messages/catalogue.js';

/**
 * What only the JSON API says, per language of the customer catalogue (the API picks the language
 * from Accept-Language; a language without its own entry reads Japanese). Everything the pages
 * also say comes from the shared catalogue (src/messages), so the API and the pages never differ.
 */
const JA = {
  tokenInvalid: 'APIトークンが正しくないか、有効期限が切れているか、無効にされています。',
  scopeMissing: 'このAPIトークンにはこの操作の権限がありません。',
  idempotencyKeyMissing:
    'Idempotency-Key ヘッダーに、1〜255文字の英数字と記号で一意のキーを指定してください。',
  idempotencyKeyReused:
    'この Idempotency-Key は別の内容のリクエストに使われています。新しいキーをお使いください。',
  rateLimited: 'リクエストが多すぎます。Retry-After ヘッダーの秒数だけ待ってから再度お試しください。',
  notAcceptable: 'Content-Type は application/json にしてください。',
  badCursor: 'cursor の値が正しくありません。前の応答の nextCursor をそのままお使いください。',
  badLimit: 'limit は1〜1000の整数で指定してください。',
  badCampaign: 'campaign には、キャンペーンのスラッグを1つだけ指定してください。',
};

const EN: typeof JA = {
  tokenInvalid: 'The API token is not valid, has expired, or has been revoked.',
  scopeMissing: 'This API token does not have the permission for this operation.',
  idempotencyKeyMissing:
    'Send a unique key of 1 to 255 visible ASCII characters in the Idempotency-Key header.',
  idempotencyKeyReused: 'This Idempotency-Key was used for a request with a different body. Use a new key.',
  rateLimited: 'Too many requests. Wait for the number of seconds in the Retry-After header and try again.',
  notAcceptable: 'Send the body as application/json.',
  badCursor: 'The cursor is not valid. Pass the nextCursor of the previous answer unchanged.',
  badLimit: 'limit must be an integer from 1 to 1000.',
  badCampaign: 'campaign must be one campaign slug.',
};

const API_TEXT: Record<string, typeof JA> = { ja: JA, en: EN };

/** The API's own texts in the language of this catalogue. */
export function apiText(c: Catalogue): typeof JA {
  const lang = Object.entries(CATALOGUES).find(([, cat]) => cat === c)?.[0] ?? 'ja';
  return API_TEXT[lang] ?? JA;
}

/** Problem types (RFC 9457 `type`): one relative URI per error code, documented in the README. */
export const PROBLEM_TYPE_BASE = '/api/v1/problems/';

/** Short English titles per error code (`title`: the same for every occurrence of a type). */
export const PROBLEM_TITLES: Record<string, string> = {
  validation: 'Invalid request',
  unauthenticated: 'Authentication required',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  locked: 'Locked',
  throttled: 'Too many requests',
  campaign_closed: 'Campaign closed',
  pool_empty: 'Gift unavailable',
  csrf: 'Forbidden',
  unavailable: 'Service unavailable',
  internal: 'Internal error',
};
