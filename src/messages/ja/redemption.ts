/** The customer's redemption pages: choices, confirmation, completion, status. */
export const REDEMPTION_JA = {};
