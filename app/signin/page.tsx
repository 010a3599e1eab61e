import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { currentViewer } from "@/lib/auth/viewer";
import { SignInButton } from "@/components/portal/sign-in-panel";

export const metadata: Metadata = { title: "Sign in" };

// next-auth's error codes (?error=) as something a person can act on.
const MESSAGES: Record<string, string> = {
  AccessDenied: "This account may not sign in (it may be suspended). Ask an administrator.",
  OAuthSignin: "Could not start signing in with Okta. Try again in a moment.",
  OAuthCallback: "Okta's answer could not be verified. Please sign in again.",
  Callback: "Signing in could not be completed. Please try again.",
  SessionRequired: "Please sign in to see that page.",
  Configuration: "Sign-in is not configured correctly on this server.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await currentViewer().catch(() => null)) redirect(callbackUrl);
  const error = typeof params.error === "string" ? (MESSAGES[params.error] ?? "Signing in failed. Please try again.") : null;
  return (
    <div className="mx-auto max-w-md space-y-6 rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-2xl font-bold text-brand-900">Sign in</h1>
      <p className="text-sm text-slate-600">Gatehouse signs you in through Okta, including multi-factor authentication when your account has it.</p>
      {error ? (
        <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <SignInButton callbackUrl={callbackUrl} />
      <p className="text-sm text-slate-600">
        No account yet?{" "}
        <Link href={params.callbackUrl ? `/signup?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signup"} className="text-brand-700 underline">
          Sign up
        </Link>
      </p>
    </div>
  );
}
