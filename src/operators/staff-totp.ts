import { Secret, TOTP } from 'otpauth';

/** RFC 6238 with the parameters every authenticator app understands. */
export const TOTP_PERIOD_SECONDS = 30;

const totpFor = (secret: string, label: string) =>
  new TOTP({
    issuer: 'Owabi',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });

/** 160 random bits (CSPRNG), base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secret: string, username: string): string {
  return totpFor(secret, username).toString();
}

export const timeStep = (at: Date) => Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);

/**
 * The time step a code belongs to, accepting one step of clock drift either way (so a code lives
 * at most 90 s), or null. The caller must still refuse a step already used (see claimTotpStep).
 */
export function matchTotpStep(secret: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secret, 'x').validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : timeStep(now) + delta;
}
