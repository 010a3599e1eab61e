// How to call this product's APIs from its reference below: which of the viewer's apps to
// authorize with, and (for the sign-in popup) registering the Try-it redirect URI on one.
import Link from "next/link";
import type { TryItApp } from "@/lib/portal/try-it";
import { addTryItRedirectAction } from "@/app/catalog/[slug]/actions";
import { Card, secondaryButtonClass, StatusBadge } from "../ui/basics";
import { CopyButton } from "../ui/copy-button";

const OUTCOMES: Record<string, { text: string; ok: boolean }> = {
  added: { text: "The Try-it redirect URI is registered: the authorization code flow can come back here.", ok: true },
  refused: { text: "The redirect URI could not be added (an app holds at most 10, and they must be https or loopback).", ok: false },
  "not-found": { text: "That app was not found.", ok: false },
};

export function TryItPanel({ slug, apps, redirectUri, outcome }: { slug: string; apps: TryItApp[] | null; redirectUri: string; outcome: string | null }) {
  const note = outcome ? OUTCOMES[outcome] : undefined;
  return (
    <Card title="Try it">
      <div id="try-it" data-testid="try-it" className="space-y-3 text-sm text-slate-700">
        {note ? (
          <p role={note.ok ? "status" : "alert"} className={note.ok ? "text-green-800" : "text-red-800"}>
            {note.text}
          </p>
        ) : null}
        <p>
          Calls from the reference below go through this gateway. Under <strong>Authorize</strong>, choose <em>gatehouse_oauth (clientCredentials)</em> and enter your app&apos;s
          client_id and secret, or <em>authorizationCode</em> to sign in with PKCE; then open an operation, <strong>Try it out</strong> and <strong>Execute</strong>.
        </p>
        {apps === null ? (
          <p>
            <Link href={`/signin?callbackUrl=${encodeURIComponent(`/catalog/${slug}`)}`} className="text-brand-700 underline">
              Sign in
            </Link>{" "}
            and create an app with this product to get credentials.
          </p>
        ) : apps.length === 0 ? (
          <p>
            None of your apps uses this product yet:{" "}
            <Link href="/apps/new" className="text-brand-700 underline">
              create one
            </Link>{" "}
            to get credentials.
          </p>
        ) : (
          <ul className="space-y-2">
            {apps.map((app) => (
              <li key={app.id} data-testid={`try-it-app-${app.id}`} className="flex flex-wrap items-center gap-2 rounded border border-slate-200 p-2">
                <Link href={`/apps/${app.id}`} className="font-medium text-brand-700 hover:underline">
                  {app.name}
                </Link>
                <StatusBadge status={app.subscription} />
                {app.clientId ? (
                  <>
                    <code className="break-all rounded bg-slate-100 px-1 font-mono">{app.clientId}</code>
                    <CopyButton value={app.clientId} label={`Copy the client ID of ${app.name}`} testId="copy-client-id" />
                  </>
                ) : null}
                {app.redirectRegistered ? (
                  <span className="text-green-800">Try-it redirect URI registered</span>
                ) : (
                  <form action={addTryItRedirectAction}>
                    <input type="hidden" name="slug" value={slug} />
                    <input type="hidden" name="appId" value={app.id} />
                    <button type="submit" className={secondaryButtonClass}>
                      Add the Try-it redirect URI to {app.name}
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        <p className="text-slate-500">
          The authorization code flow returns to <code className="break-all font-mono">{redirectUri}</code>, which your app must list as a redirect URI.
        </p>
      </div>
    </Card>
  );
}
