/**
 * Masked forms of personal data for operators: enough to check a postcard or confirm who is on the
 * phone, not enough to copy out a record.
 */
export function maskName(fullName: string): string {
  return fullName
    .trim()
    .split(/[\s\u3000]+/u)
    .map((part) => {
      const chars = [...part];
      return chars.length <= 1 ? '＊' : chars[0] + '＊'.repeat(chars.length - 1);
    })
    .join(' ');
}

const PREFECTURE = /^(東京都|北海道|(?:京都|大阪)府|.{2,3}県)/u;

/** Prefecture and city only; the rest as stars. */
export function maskAddress(address: string): string {
  const m = PREFECTURE.exec(address);
  const pref = m?.[1] ?? '';
  const rest = address.slice(pref.length);
  const city = /^(.+?[市区町村郡])/u.exec(rest)?.[1] ?? '';
  return `${pref}${city}＊＊＊`;
}

export function maskPostalCode(postalCode: string): string {
  return `${postalCode.slice(0, 3)}-＊＊＊＊`;
}
