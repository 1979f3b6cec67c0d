/** What the erasure says to the console (Japanese), in one place. */
export const ERASURE_TEXT = {
  what: { customer: 'お客様' },
} as const;
