import type { Metadata } from "next";
import Link from "next/link";
import { requireViewer } from "@/lib/auth/viewer";
import { listMyAuthorizations } from "@/lib/portal/authorized-apps";
import { Card, dangerButtonClass, Empty, formatDate, StatusNote, TitledPage } from "@/components/ui/basics";

export const metadata: Metadata = { title: "Apps you allowed" };

const OUTCOMES: Record<string, { text: string; alert: boolean }> = {
  "1": { text: "Access removed. The app must ask you again before it can act for you.", alert: false },
  "0": { text: "That app no longer had access.", alert: false },
  error: { text: "The app's access could not be removed. Try again.", alert: true },
};

/** Every app the signed-in person let act for them, with "Remove access" per app. */
export default async function AuthorizedAppsPage({ searchParams }: { searchParams: Promise<{ removed?: string | string[] }> }) {
  const { ctx, actor } = await requireViewer("/account/apps");
  const { removed } = await searchParams;
  const outcome = typeof removed === "string" ? OUTCOMES[removed] : undefined;
  const { items } = await listMyAuthorizations(ctx, actor);
  return (
    <TitledPage title="Apps you allowed">
      <div className="space-y-4">
        <p className="text-sm text-slate-600">
          Apps you signed in to with this account and allowed to act for you. Removing access ends their tokens at once; they must ask you again.{" "}
          <Link href="/account" className="text-brand-700 underline">
            Back to your account
          </Link>
        </p>
        {outcome?.alert ? (
          <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {outcome.text}
          </p>
        ) : (
          <StatusNote>{outcome?.text}</StatusNote>
        )}
        {items.length === 0 ? (
          <Empty>You have not allowed any app to act for you.</Empty>
        ) : (
          <ul className="space-y-4" data-testid="authorized-apps">
            {items.map((app) => (
              <li key={app.appId} data-testid="authorized-app">
                <Card
                  title={<span className="break-words">{app.appName}</span>}
                  actions={
                    <form method="post" action="/account/apps/revoke">
                      <input type="hidden" name="appId" value={app.appId} />
                      <button type="submit" className={dangerButtonClass} aria-label={`Remove access for ${app.appName}`}>
                        Remove access
                      </button>
                    </form>
                  }
                >
                  <p className="text-sm text-slate-600">
                    Published by <span data-testid="authorized-app-publisher">{app.publisher}</span>
                  </p>
                  <p className="mt-3 text-sm font-medium">It can:</p>
                  <ul className="list-disc space-y-0.5 pl-6 text-sm">
                    {app.scopes.map(({ scope, words }) => (
                      <li key={scope} className="break-words">
                        {words ?? <code>{scope}</code>}
                      </li>
                    ))}
                  </ul>
                  <dl className="mt-3 grid grid-cols-[7rem_1fr] gap-y-1 text-sm">
                    <dt className="text-slate-500">Allowed</dt>
                    <dd>{formatDate(app.grantedAt)}</dd>
                    <dt className="text-slate-500">Last used</dt>
                    <dd>{formatDate(app.lastUsedAt)}</dd>
                  </dl>
                </Card>
              </li>
            ))}
          </ul>
        )}
      </div>
    </TitledPage>
  );
}
