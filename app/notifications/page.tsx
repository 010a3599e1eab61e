import type { Metadata } from "next";
import Link from "next/link";
import { requireViewer } from "@/lib/auth/viewer";
import { listNotifications } from "@/lib/portal/notifications";
import { Empty, formatDate, secondaryButtonClass, TitledPage } from "@/components/ui/basics";
import { FormOutcomeNote } from "@/components/notifications/form-outcome-note";

export const metadata: Metadata = { title: "Notifications" };

type Query = Promise<{ status?: string | string[]; error?: string | string[]; cursor?: string | string[] }>;

/** What happened to the developer's apps and teams, newest first; unread ones marked. */
export default async function NotificationsPage({ searchParams }: { searchParams: Query }) {
  const { ctx, actor } = await requireViewer("/notifications");
  const query = await searchParams;
  const page = await listNotifications(ctx, actor, { limit: "50", ...(typeof query.cursor === "string" ? { cursor: query.cursor } : {}) });
  return (
    <TitledPage
      title="Notifications"
      actions={
        page.unread > 0 ? (
          <form method="post" action="/notifications/read">
            <button type="submit" className={secondaryButtonClass}>
              Mark all read
            </button>
          </form>
        ) : null
      }
    >
      <div className="space-y-4">
        <p className="text-sm text-slate-600">
          {page.unread === 0 ? "Nothing unread." : `${page.unread} unread.`} The same events are emailed to you and can be sent to your{" "}
          <Link href="/account/webhooks" className="text-brand-700 underline">
            webhooks
          </Link>
          .
        </p>
        <FormOutcomeNote status={query.status} error={query.error} />
        {page.items.length === 0 ? (
          <Empty>No notifications yet.</Empty>
        ) : (
          <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white" data-testid="notifications">
            {page.items.map((n) => (
              <li key={n.id} className={`flex flex-wrap items-start justify-between gap-2 px-3 py-3 ${n.readAt ? "" : "bg-brand-50"}`} data-testid="notification">
                <div className="min-w-0 flex-1">
                  <p className="break-words font-medium">
                    {n.readAt ? null : <span className="sr-only">Unread: </span>}
                    {n.link ? (
                      <a href={n.link} className="text-brand-700 underline">
                        {n.title}
                      </a>
                    ) : (
                      n.title
                    )}
                  </p>
                  <p className="break-words text-sm text-slate-700">{n.body}</p>
                  <p className="text-xs text-slate-600">
                    <time dateTime={n.createdAt}>{formatDate(n.createdAt)}</time>
                  </p>
                </div>
                {n.readAt ? null : (
                  <form method="post" action="/notifications/read">
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className={secondaryButtonClass} aria-label={`Mark read: ${n.title}`}>
                      Mark read
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        {page.nextCursor ? (
          <Link href={`/notifications?cursor=${encodeURIComponent(page.nextCursor)}`} className="text-sm text-brand-700 underline">
            Older notifications
          </Link>
        ) : null}
      </div>
    </TitledPage>
  );
}
