import type { Metadata } from "next";
import Link from "next/link";
import { currentViewer, orNotFound } from "@/lib/auth/viewer";
import { invitationByToken, invitationPath } from "@/lib/portal/team-invitations";
import { portalContext } from "@/lib/portal/runtime";
import { FormOutcome } from "@/components/admin/form-outcome";
import { buttonClass, Card, TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Team invitation" };

const UNUSABLE = {
  accepted: "This invitation has already been used.",
  revoked: "This invitation was withdrawn by the team.",
  expired: "This invitation has expired. Ask the team for a new one.",
} as const;

/** Where an invitation email's link leads: sign in or sign up with the invited address, then join. */
export default async function InvitationPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ error?: string | string[] }> }) {
  const { token } = await params;
  const { error } = await searchParams;
  const invitation = await orNotFound(invitationByToken(portalContext(), token));
  const viewer = await currentViewer().catch(() => null);
  const here = invitationPath(token);
  const sameAddress = viewer ? viewer.developer.email.toLowerCase() === invitation.email.toLowerCase() : false;
  return (
    <TitledPage title="Team invitation">
      <Card>
        <div className="space-y-4">
          <p>
            You are invited to join <strong className="break-words">{invitation.teamName}</strong> as {invitation.role === "admin" ? "an admin" : `a ${invitation.role}`}. The
            invitation was sent to <strong className="break-all">{invitation.email}</strong>.
          </p>
          <FormOutcome error={error} />
          {invitation.status !== "pending" ? (
            <p role="alert" className="rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              {UNUSABLE[invitation.status]}
            </p>
          ) : !viewer ? (
            <div className="space-y-2 text-sm">
              <p>Sign in with {invitation.email} to accept. No account yet? Sign up with that address, then sign in: you will come back here.</p>
              <p className="flex flex-wrap gap-3">
                <Link href={`/signin?callbackUrl=${encodeURIComponent(here)}`} className={buttonClass}>
                  Sign in
                </Link>
                <Link href={`/signup?callbackUrl=${encodeURIComponent(here)}`} className="rounded border border-slate-300 px-4 py-2 text-slate-700 hover:bg-slate-50">
                  Sign up
                </Link>
              </p>
            </div>
          ) : !sameAddress ? (
            <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
              This invitation was sent to <span className="break-all">{invitation.email}</span>, but you are signed in as{" "}
              <span className="break-all">{viewer.developer.email}</span>. Sign out and sign in with the invited address to accept it.
            </p>
          ) : (
            <form method="post" action={`${here}/accept`}>
              <button type="submit" className={buttonClass}>
                Join {invitation.teamName}
              </button>
            </form>
          )}
        </div>
      </Card>
    </TitledPage>
  );
}
