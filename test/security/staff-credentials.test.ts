import { describe, expect, it } from 'vitest';
import COMMON_PASSWORDS from '../../src/operators/common-passwords.json' with { type: 'json' };
import { passwordProblem } from '../../src/operators/password-policy.js';
import { TotpSecretBox } from '../../src/operators/staff-crypto.js';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { buildStaff, OpsBrowser } from '../support/ops.js';

/** How staff credentials are chosen and kept (OWASP ASVS 5.0.0 numbering). */
const deps = useTestDeps();
const app = createApp(deps);

describe('V6.2 password policy', () => {
  it('V6.2.1 / V6.2.9 when a password is shorter than 12 characters it is refused; 12 to 128 are accepted, counted as characters typed', () => {
    expect(passwordProblem('k8#Tq!2mZp@')).toBe('too_short');
    expect(passwordProblem('k8#Tq!2mZp@x')).toBeNull();
    expect(passwordProblem('𠮷'.repeat(11))).toBe('too_short'); // 22 UTF-16 units, 11 characters
    expect(passwordProblem('𠮷野家の牛丼を毎日食べたい')).toBeNull();
    const long = 'tm4Q-Rz8v-Lp2N-'.repeat(9);
    expect(passwordProblem(long.slice(0, 64))).toBeNull();
    expect(passwordProblem(long.slice(0, 128))).toBeNull();
    expect(passwordProblem(long.slice(0, 129))).toBe('too_long');
  });

  it('V6.2.4 when a password is a common one, or one padded with digits and symbols or repeated, then it is refused', () => {
    expect((COMMON_PASSWORDS as string[]).length).toBeGreaterThanOrEqual(10_000);
    for (const weak of [
      'qazwsxedcrfv',
      '123456789012',
      'password1234',
      'Password1234',
      '!!iloveyou!!',
      '2024sunshine!',
      'qwertyqwerty',
      'aaaaaaaaaaaa',
      'abcabcabcabc',
      'dragondragondragon',
    ])
      expect(passwordProblem(weak), weak).toBe('common');
  });

  it('V6.2.5 / V6.2.11 when a password has no digit, capital or symbol it is accepted; one holding the username or the service name is refused', () => {
    for (const ok of [
      'violet tangerine ocean',
      'ねこがすきなのでまいにちなでる',
      'correct horse battery staple',
    ])
      expect(passwordProblem(ok), ok).toBeNull();
    expect(passwordProblem('my name is clerk-tanaka', 'clerk-tanaka')).toBe('context');
    expect(passwordProblem('I work at Owabi since 2026')).toBe('context');
  });

  it('V6.2.3 / V6.2.8 when an operator changes the password, then the current one is required, a weak new one is refused, and the new one is used exactly as typed', async () => {
    const staff = await buildStaff(deps, 'clerk');
    const ops = await new OpsBrowser(app).signIn(staff);
    const change = (currentPassword: string, next: string) =>
      ops.post(
        '/ops/account/password',
        { currentPassword, newPassword: next, newPasswordAgain: next },
        '/ops/account/password',
      );
    const noCurrent = await change('not-my-password', 'a fine new passphrase');
    expect(noCurrent.status).toBe(400);
    expect(noCurrent.text).toContain('現在のパスワードが正しくありません');
    const weak = await change(staff.password, 'password1234');
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('よく使われているパスワード');
    const spaced = '  a fine new passphrase  ';
    expect((await change(staff.password, spaced)).status).toBe(200);
    expect((await new OpsBrowser(app).password(staff.username, spaced.trim())).status).toBe(401);
    expect((await new OpsBrowser(app).password(staff.username, spaced)).headers.location).toBe(
      '/ops/login/totp',
    );
  });
});

describe('V11.3 TOTP secrets at rest', () => {
  const stored = async (id: string) =>
    (await deps.db.selectFrom('staff').select('totp_secret').where('id', '=', id).executeTakeFirstOrThrow())
      .totp_secret!;

  it('V11.3.3 when the staff table is read, then a TOTP secret is AES-256-GCM ciphertext bound to its account, not the secret', async () => {
    const staff = await buildStaff(deps, 'admin');
    const value = await stored(staff.id);
    expect(value).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(value).not.toContain(staff.totpSecret!);
    const box = new TotpSecretBox(deps.config.TOTP_ENCRYPTION_KEY);
    expect(box.open(value, staff.id)).toBe(staff.totpSecret);
    // Copied to another account's row, or altered, it does not decrypt.
    expect(() => box.open(value, String(Number(staff.id) + 1))).toThrow();
    const [v, iv, body, tag] = value.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => box.open([v, iv, flipped.toString('base64url'), tag].join('.'), staff.id)).toThrow();
    expect(() => new TotpSecretBox('another-key-of-32-characters-or-more').open(value, staff.id)).toThrow();
  });

  it('V11.3.3 when a secret stored in plain text before encryption is used at sign-in, then it is encrypted in place', async () => {
    const staff = await buildStaff(deps, 'clerk');
    await deps.db
      .updateTable('staff')
      .set({ totp_secret: staff.totpSecret })
      .where('id', '=', staff.id)
      .execute();
    await new OpsBrowser(app).signIn(staff);
    const value = await stored(staff.id);
    expect(value.startsWith('v1.')).toBe(true);
    expect(new TotpSecretBox(deps.config.TOTP_ENCRYPTION_KEY).open(value, staff.id)).toBe(staff.totpSecret);
  });
});
