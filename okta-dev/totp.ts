// TOTP (RFC 6238) for the "Okta Verify"-style software factor, on the maintained otpauth package.
import { Secret, TOTP } from "otpauth";

function totp(secret: string, label = "okta-dev"): TOTP {
  return new TOTP({ issuer: "okta-dev", label, algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** Accepts the current code and one step either side, for clock drift. */
export function verifyTotp(secret: string, code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return totp(secret).validate({ token: code, window: 1 }) !== null;
}

export function currentTotp(secret: string): string {
  return totp(secret).generate();
}

export function totpUri(secret: string, login: string): string {
  return totp(secret, login).toString();
}
