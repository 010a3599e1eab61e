"use client";
// A newly issued secret, shown exactly once: it lives only in this component's state (never
// in the URL, storage or the server), so a reload makes it disappear for good.
import { useState } from "react";
import { secondaryButtonClass } from "../ui/basics";
import { CopyButton } from "../ui/copy-button";

export function SecretPanel({
  clientId,
  secret,
  onDismiss,
  labels = { title: "Copy your client secret now", id: "client_id", secret: "client_secret", lost: "add a new credential and revoke this one" },
}: {
  clientId: string;
  secret: string;
  onDismiss: () => void;
  labels?: { title: string; id: string; secret: string; lost: string };
}) {
  const [copied, setCopied] = useState<"ok" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("ok");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <section aria-label="New client secret" data-testid="secret-panel" className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-5">
      <h2 className="font-semibold text-amber-900">{labels.title}</h2>
      <p className="text-sm text-amber-900">It is shown only this once; Gatehouse keeps only a hash. If you lose it, {labels.lost}.</p>
      <dl className="grid grid-cols-[8rem_1fr] gap-2 text-sm">
        <dt className="text-slate-600">{labels.id}</dt>
        <dd className="font-mono break-all">
          {clientId} <CopyButton value={clientId} label={`Copy ${labels.id}`} testId="copy-client-id" />
        </dd>
        <dt className="text-slate-600">{labels.secret}</dt>
        <dd data-testid="client-secret" className="font-mono break-all">
          {secret}
        </dd>
      </dl>
      <div className="flex items-center gap-3">
        <button type="button" data-testid="copy-secret" className={secondaryButtonClass} onClick={() => void copy()}>
          Copy secret
        </button>
        <button type="button" className={secondaryButtonClass} onClick={onDismiss}>
          I have stored it
        </button>
        {copied === "ok" ? (
          <span role="status" className="text-sm text-green-700">
            Copied to the clipboard.
          </span>
        ) : null}
        {copied === "failed" ? (
          <span role="status" className="text-sm text-red-700">
            Copying failed — select the text and copy it by hand.
          </span>
        ) : null}
      </div>
    </section>
  );
}
