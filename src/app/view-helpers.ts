import { formatForPrint } from '../customers/codes.js';
import { jstDate, jstDateTime } from '../platform/jst.js';

/** Available in every template. */
export const viewHelpers = {
  yen: (n: number) => `${n.toLocaleString('ja-JP')}円`,
  jstDate,
  jstDateTime,
  printCode: formatForPrint,
  postal: (pc: string) => (/^\d{7}$/.test(pc) ? `〒${pc.slice(0, 3)}-${pc.slice(3)}` : pc),
};
