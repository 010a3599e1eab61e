import type { Metadata } from "next";
import Link from "next/link";
import { orNotFound, requireViewer } from "@/lib/auth/viewer";
import { getTeam } from "@/lib/portal/teams";
import { listInvitations } from "@/lib/portal/team-invitations";
import { managesMembers, managesTeam, TEAM_ROLES } from "@/lib/portal/team-roles";
import { FormOutcome } from "@/components/admin/form-outcome";
import { listWebhooks } from "@/lib/portal/webhooks";
import { WebhookEndpointList } from "@/components/notifications/webhook-endpoints";
import { buttonClass, Card, dangerButtonClass, Empty, formatDate, inputClass, Options, secondaryButtonClass, StatusBadge, TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Team" };

/** One team: its apps, members and roles, invitations, and what the viewer's role lets them change. */
export default async function TeamPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ status?: string | string[]; error?: string | string[] }>;
}) {
  const { id } = await params;
  const { ctx, actor } = await requireViewer(`/teams/${id}`);
  const team = await orNotFound(getTeam(ctx, actor, id));
  const { status, error } = await searchParams;
  const canManageMembers = managesMembers(team.role);
  const invitations = canManageMembers ? (await listInvitations(ctx, actor, id)).items : [];
  // a team's webhook endpoints are its owners' and admins' to see and change (they hold the secret)
  const webhooks = canManageMembers ? (await listWebhooks(ctx, actor, { teamId: team.id })).items : [];
  const action = (what: string) => `/teams/${team.id}/${what}`;
  return (
    <TitledPage title={<span className="break-words">{team.name}</span>}>
      <div className="space-y-6">
        <p className="text-sm text-slate-600">
          Your role: <strong data-testid="team-role">{team.role}</strong>.{" "}
          <Link href="/teams" className="text-brand-700 underline">
            All your teams
          </Link>
        </p>
        <FormOutcome status={status} error={error} />

        <Card
          title="Apps"
          actions={
            team.role !== "viewer" ? (
              <Link href={`/apps/new?teamId=${encodeURIComponent(team.id)}`} className={secondaryButtonClass}>
                New team app
              </Link>
            ) : null
          }
        >
          {team.apps.length === 0 ? (
            <Empty>The team has no apps yet.</Empty>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="team-apps">
              {team.apps.map((app) => (
                <li key={app.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <Link href={`/apps/${app.id}`} className="break-words text-brand-700 underline">
                    {app.name}
                  </Link>
                  <StatusBadge status={app.status} />
                </li>
              ))}
            </ul>
          )}
        </Card>

        {canManageMembers ? (
          <Card title="Webhooks">
            <p className="mb-3 text-sm text-slate-600">Events about the team&apos;s apps, POSTed and signed to these URLs.</p>
            <WebhookEndpointList items={webhooks} basePath={`/teams/${team.id}`} teamId={team.id} />
          </Card>
        ) : null}

        <Card title="Members">
          <ul className="divide-y divide-slate-100" data-testid="team-members">
            {team.members.map((m) => (
              <li key={m.developerId} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                <div className="min-w-0">
                  <p className="font-medium break-words">{m.name}</p>
                  <p className="text-sm break-all text-slate-600">
                    {m.email} · {m.role} · joined {formatDate(m.joinedAt)}
                  </p>
                </div>
                {canManageMembers ? (
                  <div className="flex flex-wrap items-end gap-2">
                    <form method="post" action={action("member-role")} className="flex items-end gap-2">
                      <input type="hidden" name="developerId" value={m.developerId} />
                      <select name="role" defaultValue={m.role} className={inputClass} aria-label={`Role of ${m.name}`}>
                        <Options options={TEAM_ROLES} />
                      </select>
                      <button type="submit" className={secondaryButtonClass} aria-label={`Change role of ${m.name}`}>
                        Change role
                      </button>
                    </form>
                    <form method="post" action={action("member-remove")}>
                      <input type="hidden" name="developerId" value={m.developerId} />
                      <button type="submit" className={dangerButtonClass} aria-label={`Remove ${m.name} from the team`}>
                        Remove
                      </button>
                    </form>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>

        {canManageMembers ? (
          <Card title="Invite someone">
            <form method="post" action={action("invite")} className="flex flex-col gap-3 sm:flex-row sm:items-end">
              <div className="flex-1 text-sm font-medium">
                <label htmlFor="invite-email">Email address</label>
                <input id="invite-email" name="email" type="email" required maxLength={254} autoComplete="off" className={inputClass} />
              </div>
              <div className="text-sm font-medium">
                <label htmlFor="invite-role">Role</label>
                <select id="invite-role" name="role" defaultValue="viewer" className={inputClass}>
                  <Options options={team.role === "owner" ? TEAM_ROLES : TEAM_ROLES.filter((r) => r !== "owner")} />
                </select>
              </div>
              <button type="submit" className={buttonClass}>
                Send invitation
              </button>
            </form>
            <p className="mt-2 text-sm text-slate-600">The link in the email works once, for that address, for 7 days.</p>
            <h3 className="mt-4 text-base font-semibold">Pending invitations</h3>
            {invitations.length === 0 ? (
              <p className="mt-1 text-sm text-slate-600">None.</p>
            ) : (
              <ul className="mt-2 divide-y divide-slate-100" data-testid="team-invitations">
                {invitations.map((inv) => (
                  <li key={inv.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <span className="text-sm break-all">
                      {inv.email} · {inv.role} · expires {formatDate(inv.expiresAt)}
                    </span>
                    <form method="post" action={action("invitation-revoke")}>
                      <input type="hidden" name="invitationId" value={inv.id} />
                      <button type="submit" className={dangerButtonClass} aria-label={`Revoke the invitation to ${inv.email}`}>
                        Revoke
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        ) : null}

        {managesTeam(team.role) ? (
          <Card title="Team settings">
            <form method="post" action={action("rename")} className="flex flex-col gap-3 sm:flex-row sm:items-end">
              <label className="block flex-1 text-sm font-medium">
                Team name
                <input name="name" required maxLength={80} defaultValue={team.name} className={inputClass} />
              </label>
              <button type="submit" className={secondaryButtonClass}>
                Rename
              </button>
            </form>
            <form method="post" action={action("delete")} className="mt-4">
              <button type="submit" className={dangerButtonClass}>
                Delete team
              </button>
              <span className="ml-2 text-sm text-slate-600">Only once it owns no apps.</span>
            </form>
          </Card>
        ) : null}

        <form method="post" action={action("leave")}>
          <button type="submit" className={dangerButtonClass}>
            Leave team
          </button>
        </form>
      </div>
    </TitledPage>
  );
}
