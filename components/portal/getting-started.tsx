"use client";
// The app's first call in three steps, with the code in four languages. Before hydration every
// snippet is shown one after another (nothing hidden without script); once hydrated they become
// tabs (arrow keys, Home and End move between them, as WAI-ARIA's tabs pattern has it).
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { SECRET_VARIABLE, type FirstCallPlan } from "@/lib/portal/snippets";
import { CopyButton } from "../ui/copy-button";
import { useHydrated } from "../ui/hydrated";

export function GettingStarted({ plan }: { plan: FirstCallPlan }) {
  const { clientId } = plan;
  const ids = useId();
  const tabs = useHydrated();
  const [selected, setSelected] = useState(0);
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);

  const select = (index: number) => {
    const next = (index + plan.snippets.length) % plan.snippets.length;
    setSelected(next);
    tabRefs.current[next]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowRight: selected + 1, ArrowLeft: selected - 1, Home: 0, End: plan.snippets.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      select(moves[e.key]!);
    }
  };
  const isPublic = plan.appType === "public";

  return (
    <section aria-labelledby={`${ids}-title`} data-testid="getting-started" className="rounded-lg border border-brand-100 bg-white p-5 shadow-sm">
      <h2 id={`${ids}-title`} className="mb-1 text-lg font-semibold text-brand-700">
        Getting started
      </h2>
      <p className="mb-4 text-sm text-slate-600">Your first API call in three steps.</p>
      {!plan.ready ? (
        <p data-testid="getting-started-pending" className="mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {plan.pending.length
            ? `Waiting for an admin to approve: ${plan.pending.join(", ")}. Tokens and calls work once it is approved; the code below is ready for then.`
            : "This app is not subscribed to an API product yet: edit the app and choose one in the catalog."}
        </p>
      ) : null}
      <ol className="space-y-5 text-sm">
        <li>
          <h3 className="font-semibold text-slate-800">1. Your credentials</h3>
          <p className="mt-1 text-slate-600">
            client_id <code className="break-all rounded bg-slate-100 px-1 font-mono">{clientId}</code>{" "}
            <CopyButton value={clientId} label="Copy client ID" testId="copy-client-id" />
          </p>
          {isPublic ? (
            <p className="mt-1 text-slate-600">A public app has no secret: each sign-in is protected with PKCE instead.</p>
          ) : (
            <p className="mt-1 text-slate-600">
              Keep the client secret (shown once when the credential was issued) out of your code: put it in the environment, e.g.{" "}
              <code className="rounded bg-slate-100 px-1 font-mono">export {SECRET_VARIABLE}=…</code>
            </p>
          )}
        </li>
        <li>
          <h3 className="font-semibold text-slate-800">2. Get a token</h3>
          <p className="mt-1 text-slate-600">
            {isPublic ? "Authorization code with PKCE: the user signs in at " : "Client credentials, at "}
            <code className="break-all rounded bg-slate-100 px-1 font-mono">{isPublic ? plan.authorizeUrl : plan.tokenUrl}</code>
            {plan.scope ? (
              <>
                {" "}
                with scope <code className="break-all rounded bg-slate-100 px-1 font-mono">{plan.scope}</code>
              </>
            ) : null}
            .
          </p>
          {isPublic && !plan.redirectUri ? <p className="mt-1 text-amber-900">Add a redirect URI to the app first.</p> : null}
        </li>
        <li>
          <h3 className="font-semibold text-slate-800">3. Call the API</h3>
          {plan.callUrl ? (
            <p className="mt-1 text-slate-600">
              Send the token as <code className="rounded bg-slate-100 px-1 font-mono">Authorization: Bearer …</code> to{" "}
              <code className="break-all rounded bg-slate-100 px-1 font-mono">{plan.callUrl}</code>
            </p>
          ) : (
            <p className="mt-1 text-slate-600">None of this app&apos;s products has an API yet.</p>
          )}
        </li>
      </ol>

      <div className="mt-5">
        {tabs ? (
          <div role="tablist" aria-label="Language" className="flex flex-wrap gap-1 border-b border-slate-200">
            {plan.snippets.map((s, i) => (
              <button
                key={s.language}
                ref={(el) => {
                  tabRefs.current[i] = el;
                }}
                type="button"
                role="tab"
                id={`${ids}-tab-${s.language}`}
                aria-selected={i === selected}
                aria-controls={`${ids}-panel-${s.language}`}
                tabIndex={i === selected ? 0 : -1}
                onClick={() => setSelected(i)}
                onKeyDown={onKey}
                className={`-mb-px rounded-t border px-3 py-1.5 text-sm ${i === selected ? "border-slate-200 border-b-white bg-white font-semibold text-brand-700" : "border-transparent text-slate-600 hover:text-brand-700"}`}
              >
                {s.label}
              </button>
            ))}
          </div>
        ) : null}
        {plan.snippets.map((s, i) => (
          <div
            key={s.language}
            id={`${ids}-panel-${s.language}`}
            {...(tabs ? { role: "tabpanel", "aria-labelledby": `${ids}-tab-${s.language}`, hidden: i !== selected } : {})}
            className="mt-3"
          >
            <div className="mb-1 flex items-center justify-between gap-2">
              {tabs ? <span /> : <h3 className="text-sm font-semibold text-slate-800">{s.label}</h3>}
              <CopyButton value={s.code} label={`Copy the ${s.label} snippet`} testId={`copy-snippet-${s.language}`} targetId={`${ids}-code-${s.language}`} />
            </div>
            <pre
              id={`${ids}-code-${s.language}`}
              data-testid={`snippet-${s.language}`}
              tabIndex={0}
              className="max-w-full overflow-x-auto rounded border border-slate-200 bg-slate-50 p-3 text-xs leading-relaxed text-slate-800"
            >
              <code>{s.code}</code>
            </pre>
          </div>
        ))}
      </div>

      {plan.apis.length > 1 ? (
        <div className="mt-5 text-sm">
          <h3 className="font-semibold text-slate-800">All APIs of this app</h3>
          <ul className="mt-1 space-y-1">
            {plan.apis.map((a) => (
              <li key={a.url} className="flex flex-wrap items-center gap-2">
                <code className="break-all rounded bg-slate-100 px-1 font-mono">{a.url}</code>
                <CopyButton value={a.url} label={`Copy the ${a.product} base URL`} testId="copy-base-url" />
                <span className="text-slate-500">
                  {a.product}
                  {a.status === "pending" ? " (pending approval)" : ""}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
