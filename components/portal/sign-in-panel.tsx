"use client";
// The sign-in page's button: next-auth's Okta sign-in (PKCE, state, nonce) back to a
// same-origin path that the server already checked.
import { signIn } from "next-auth/react";
import { useState } from "react";
import { buttonClass } from "../ui/basics";

export function SignInButton({ callbackUrl }: { callbackUrl: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className={buttonClass}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signIn("okta", { callbackUrl }).catch(() => setBusy(false));
      }}
    >
      Sign in with Okta
    </button>
  );
}
