import { describe, expect, it } from 'vitest';
import { findPersonalData, nameCandidates } from '../src/contact/contact-screen.js';
import { clientKey } from '../src/platform/http/client-key.js';

describe('screening typed text for personal data', () => {
  it('when text holds a phone, e-mail, postal code or a long number, then its kind is named; call references pass', () => {
    expect(findPersonalData('着信 CALL-2026-0042 紛失のお問い合わせ')).toBeNull();
    expect(findPersonalData('2026-11-22 受付 #12345')).toBeNull();
    expect(findPersonalData('折返し ０９０－１２３４－５６７８')).toBe('phone');
    expect(findPersonalData('tel 03 1234 5678')).toBe('phone');
    expect(findPersonalData('+81 90 1234 5678')).toBe('phone');
    expect(findPersonalData('09012345678')).toBe('phone');
    expect(findPersonalData('mail: a.b@example.co.jp')).toBe('email');
    expect(findPersonalData('ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ')).toBe('email');
    expect(findPersonalData('〒100-0004')).toBe('postal');
    expect(findPersonalData('新住所 150-0001 へ')).toBe('postal');
    expect(findPersonalData('カード 4111 1111 1111 1111')).toBe('digits');
  });

  it("when text holds the customer's name or its reading (any script or spacing), then it is 'name'", () => {
    const names = nameCandidates('山田 太郎', 'ヤマダ タロウ');
    expect(findPersonalData('山田太郎様より', names)).toBe('name');
    expect(findPersonalData('やまだ様から電話', names)).toBe('name');
    expect(findPersonalData('ﾔﾏﾀﾞ ﾀﾛｳ', names)).toBe('name');
    expect(findPersonalData('紛失のため再発行', names)).toBeNull();
    // One-letter parts would match ordinary words: not used.
    expect(nameCandidates('林 一')).toEqual(['林一']);
  });
});

describe('who a login attempt comes from', () => {
  it('when addresses share an IPv6 /64, then they are one client; IPv4 (and IPv4-mapped) addresses are each their own', () => {
    const a = clientKey('2001:db8:abcd:12::1');
    expect(clientKey('2001:0db8:abcd:0012:ffff:1:2:3')).toBe(a);
    expect(clientKey('2001:db8:abcd:12:0:0:0:9%eth0')).toBe(a);
    expect(clientKey('2001:db8:abcd:13::1')).not.toBe(a);
    expect(clientKey('::ffff:10.0.0.1')).toBe(clientKey('10.0.0.1'));
    expect(clientKey('10.0.0.1')).not.toBe(clientKey('10.0.0.2'));
    expect(clientKey('::1')).toBe('v6:0:0:0:0::/64');
    expect(clientKey('64:ff9b::10.0.0.1')).toBe('v6:64:ff9b:0:0::/64');
  });
});
