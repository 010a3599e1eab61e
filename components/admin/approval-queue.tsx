"use client";
// Subscriptions by status; pending ones are the approval queue (approve, or reject with a reason).
import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { AppView, SubscriptionView } from "@/lib/portal/views";
import { api } from "../api-client";
import { buttonClass, dangerButtonClass, Empty, ErrorNote, formatDate, inputClass, Options, secondaryButtonClass, StatusBadge } from "../ui/basics";
import { LoadMore, usePagedList } from "../ui/load-more";
import { submitInPage } from "../ui/submit-in-page";

type Row = SubscriptionView & { app: AppView };
const STATUSES = ["pending", "approved", "rejected", "revoked"] as const;

export function ApprovalQueue() {
  const [status, setStatus] = useState<(typeof STATUSES)[number]>("pending");
  const list = usePagedList<Row>("/subscriptions", { status });
  const queryClient = useQueryClient();
  const [rejecting, setRejecting] = useState<{ id: string; decision: "reject" | "revoke" } | null>(null);
  const [reason, setReason] = useState("");
  const decide = useMutation({
    mutationFn: (v: { id: string; decision: "approve" | "reject" | "revoke"; reason?: string }) =>
      api(`/subscriptions/${v.id}/decision`, { method: "POST", body: { decision: v.decision, ...(v.reason ? { reason: v.reason } : {}) } }),
    onSuccess: () => {
      setRejecting(null);
      setReason("");
      void queryClient.invalidateQueries({ queryKey: ["/subscriptions"] });
    },
  });
  return (
    <div className="space-y-4">
      <label className="text-sm">
        Status{" "}
        <select className="rounded border border-slate-300 px-2 py-1" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <Options options={STATUSES} />
        </select>
      </label>
      <ErrorNote error={decide.error} />
      {list.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {!list.isPending && !list.items.length ? <Empty>No {status} subscriptions.</Empty> : null}
      <ul className="space-y-3">
        {list.items.map((s) => (
          <li key={s.id} data-testid={`queue-${s.app.id}`} className="rounded-lg border border-slate-200 bg-white p-4">
            <div className="flex flex-wrap items-center justify-between gap-3">
              <div className="text-sm">
                <p>
                  <Link href={`/admin/apps/${s.app.id}`} className="font-medium text-brand-700 hover:underline">
                    {s.app.name}
                  </Link>{" "}
                  → <strong>{s.product.name}</strong> <StatusBadge status={s.status} />
                </p>
                <p className="text-slate-500">
                  by {s.app.owner?.name ?? s.app.ownerId} ({s.app.owner?.email ?? "—"}) · requested {formatDate(s.createdAt)}
                </p>
                {s.reason ? <p className="text-slate-600">Reason: {s.reason}</p> : null}
                {s.earlierDecision ? (
                  <p data-testid="earlier-decision" className="text-amber-800">
                    Asked again after it was {s.earlierDecision.status}
                    {s.earlierDecision.reason ? `: ${s.earlierDecision.reason}` : ""}
                  </p>
                ) : null}
              </div>
              <div className="flex gap-2">
                {status !== "approved" ? (
                  <button type="button" className={buttonClass} disabled={decide.isPending} onClick={() => decide.mutate({ id: s.id, decision: "approve" })}>
                    Approve
                  </button>
                ) : null}
                {status === "pending" ? (
                  <button type="button" className={dangerButtonClass} onClick={() => setRejecting({ id: s.id, decision: "reject" })}>
                    Reject…
                  </button>
                ) : null}
                {status === "approved" ? (
                  <button type="button" className={dangerButtonClass} onClick={() => setRejecting({ id: s.id, decision: "revoke" })}>
                    Revoke…
                  </button>
                ) : null}
              </div>
            </div>
            {rejecting?.id === s.id ? (
              <form className="mt-3 flex items-end gap-2" onSubmit={submitInPage(() => decide.mutate({ id: s.id, decision: rejecting.decision, reason }))}>
                <label className="flex-1 text-sm">
                  Reason (shown to the developer)
                  <input className={inputClass} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} />
                </label>
                <button type="submit" className={dangerButtonClass} disabled={decide.isPending}>
                  {rejecting.decision === "reject" ? "Reject" : "Revoke"}
                </button>
                <button type="button" className={secondaryButtonClass} onClick={() => setRejecting(null)}>
                  Cancel
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      <LoadMore list={list} />
    </div>
  );
}
