// The password rules a new account must meet, shown on the sign-up form before the first
// submit. They describe Okta's default password policy (okta-dev enforces the same; an org with
// a stricter policy still refuses with its own words, shown under the field). Pure data and
// checks, so the form can tick them off as the person types.

export interface PasswordRule {
  id: string;
  /** What the rule asks for, completing "Your password needs …". */
  text: string;
  met: (password: string, email: string) => boolean;
}

export const PASSWORD_RULES: readonly PasswordRule[] = [
  { id: "length", text: "at least 8 characters", met: (p) => p.length >= 8 },
  { id: "lower", text: "a lowercase letter", met: (p) => /[a-z]/.test(p) },
  { id: "upper", text: "an uppercase letter", met: (p) => /[A-Z]/.test(p) },
  { id: "number", text: "a number", met: (p) => /[0-9]/.test(p) },
  {
    id: "username",
    text: "no part of your email address before the @",
    met: (p, email) => {
      const local = email.split("@")[0]?.trim().toLowerCase() ?? "";
      return local.length < 3 || !p.toLowerCase().includes(local);
    },
  },
];

/** The rules a password does not meet yet (empty: Okta's default policy accepts it). */
export function unmetPasswordRules(password: string, email: string): PasswordRule[] {
  return PASSWORD_RULES.filter((rule) => !rule.met(password, email));
}
