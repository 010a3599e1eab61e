import type { Metadata } from "next";
import Link from "next/link";
import { requireViewer } from "@/lib/auth/viewer";
import { listMySessions } from "@/lib/portal/sessions";
import { AccountSessions } from "@/components/portal/account-sessions";
import { Card, TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Account" };

/** The signed-in developer's profile and portal sessions, with "Sign out everywhere", and the way to the apps they allowed. */
export default async function AccountPage() {
  const { ctx, actor, developer } = await requireViewer("/account");
  const sessions = await listMySessions(ctx, actor);
  return (
    <TitledPage title="Account">
      <div className="space-y-6">
        <Card title="Profile">
          <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
            <dt className="text-slate-500">Name</dt>
            <dd>{developer.name}</dd>
            <dt className="text-slate-500">Email</dt>
            <dd data-testid="account-email">{developer.email}</dd>
            <dt className="text-slate-500">Role</dt>
            <dd>{developer.role}</dd>
          </dl>
        </Card>
        <Card title="Where you are signed in">
          <AccountSessions sessions={sessions.items} />
        </Card>
        <Card title="Notifications and webhooks">
          <p className="text-sm text-slate-600">
            <Link href="/notifications" className="text-brand-700 underline">
              Your notifications
            </Link>{" "}
            are also emailed to you.{" "}
            <Link href="/account/webhooks" className="text-brand-700 underline" data-testid="account-webhooks-link">
              Webhooks
            </Link>{" "}
            send them to your own systems.
          </p>
        </Card>
        <Card title="Apps you allowed">
          <p className="text-sm text-slate-600">
            Apps you signed in to with this account.{" "}
            <Link href="/account/apps" className="text-brand-700 underline" data-testid="account-apps-link">
              See and remove their access
            </Link>
          </p>
        </Card>
      </div>
    </TitledPage>
  );
}
