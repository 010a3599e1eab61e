import type { Metadata } from "next";
import { cookies } from "next/headers";
import { BINDING_COOKIE, loadConsentView } from "@/lib/oauth/authorize";

export const metadata: Metadata = { title: "Allow access?", robots: { index: false } };

export default async function ConsentPage({ searchParams }: { searchParams: Promise<{ id?: string | string[] }> }) {
  const { id } = await searchParams;
  const view = await loadConsentView(typeof id === "string" ? id : undefined, (await cookies()).get(BINDING_COOKIE)?.value);
  if (!view) {
    return (
      <section className="mx-auto max-w-lg space-y-3" data-testid="consent-expired">
        <h1 className="text-2xl font-semibold">This request has expired</h1>
        <p className="text-slate-600">Return to the application and sign in again.</p>
      </section>
    );
  }
  return (
    <section className="mx-auto max-w-lg space-y-6 rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold break-words">
          <span data-testid="consent-app-name">{view.appName}</span> wants to access your account
        </h1>
        {view.publisher ? (
          <p className="text-sm text-slate-600">
            Published by <span data-testid="consent-publisher">{view.publisher}</span>
          </p>
        ) : null}
      </div>
      <div className="space-y-2">
        <p className="text-slate-600">If you allow it, the application may act on your behalf and:</p>
        <ul className="list-disc space-y-1 pl-6" data-testid="consent-scopes">
          {view.scopes.map(({ scope, words }) => (
            <li key={scope} className="break-words">
              {words ? (
                <>
                  <span>{words}</span> <code className="text-xs text-slate-500">({scope})</code>
                </>
              ) : (
                <code>{scope}</code>
              )}
            </li>
          ))}
        </ul>
      </div>
      <form method="post" action="/oauth/consent/decision" className="flex flex-wrap gap-3">
        <input type="hidden" name="id" value={view.id} />
        <input type="hidden" name="csrf" value={view.csrfToken} />
        <button type="submit" name="decision" value="allow" className="rounded bg-brand-700 px-4 py-2 font-medium text-white">
          Allow
        </button>
        <button type="submit" name="decision" value="deny" className="rounded border border-slate-300 px-4 py-2">
          Deny
        </button>
      </form>
    </section>
  );
}
