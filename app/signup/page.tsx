import type { Metadata } from "next";
import { SignUpForm } from "@/components/portal/sign-up-form";

export const metadata: Metadata = { title: "Sign up" };

export default function SignUpPage() {
  return (
    <div className="mx-auto max-w-lg space-y-6 rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-2xl font-bold text-brand-900">Create a developer account</h1>
      <SignUpForm />
    </div>
  );
}
