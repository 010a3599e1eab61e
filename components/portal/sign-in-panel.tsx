// The sign-in page's button: a plain form, so it works before any script has loaded. It posts
// through lib/auth/sign-in-form.ts to next-auth's Okta sign-in (PKCE, state, nonce), back to a
// same-origin path that the server already checked.
import { newSignInToken, SIGN_IN_FORM_ACTION } from "@/lib/auth/sign-in-form";
import { buttonClass } from "../ui/basics";

export function SignInButton({ callbackUrl }: { callbackUrl: string }) {
  return (
    <form method="post" action={SIGN_IN_FORM_ACTION}>
      <input type="hidden" name="csrfToken" value={newSignInToken()} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <button type="submit" className={buttonClass}>
        Sign in with Okta
      </button>
    </form>
  );
}
