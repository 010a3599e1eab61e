import type { Metadata } from "next";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { SignUpForm } from "@/components/portal/sign-up-form";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl } = await searchParams;
  return (
    <div className="mx-auto max-w-lg space-y-6 rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-2xl font-bold text-brand-900">Create a developer account</h1>
      <SignUpForm callbackUrl={callbackUrl === undefined ? undefined : safeCallbackPath(callbackUrl)} />
    </div>
  );
}
