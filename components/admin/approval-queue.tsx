"use client";
// Subscriptions by status; pending ones are the approval queue (approve, or reject with a reason).
// Decisions are forms posting to a server action; rejecting and revoking ask first.
import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useState } from "react";
import type { AppView, SubscriptionView } from "@/lib/portal/views";
import type { Page } from "@/lib/portal/pagination";
import { decideSubscriptionAction } from "@/app/admin/actions";
import { buttonClass, Empty, formatDate, inputClass, Options, secondaryButtonClass, StatusBadge } from "../ui/basics";
import { ActionNote, ConfirmAction, useAfterResult } from "../ui/confirm-action";
import { LoadMore, usePagedList } from "../ui/load-more";
import { QUEUE_STATUSES, type QueueStatus } from "./queue-statuses";

type Row = SubscriptionView & { app: AppView };
type Status = QueueStatus;

export function ApprovalQueue({ initial, initialStatus }: { initial?: Page<Row>; initialStatus: Status }) {
  const [status, setStatus] = useState<Status>(initialStatus);
  const list = usePagedList<Row>("/subscriptions", { status }, status === initialStatus ? initial : undefined);
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["/subscriptions"] });
  return (
    <div className="space-y-4">
      <form method="get" className="flex flex-wrap items-end gap-2 text-sm">
        <label>
          Status{" "}
          <select name="status" className="rounded border border-slate-300 px-2 py-1" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
            <Options options={QUEUE_STATUSES} />
          </select>
        </label>
        <noscript>
          <button type="submit" className={secondaryButtonClass}>
            Show
          </button>
        </noscript>
      </form>
      {list.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {!list.isPending && !list.items.length ? <Empty>No {status} subscriptions.</Empty> : null}
      <ul className="space-y-3">
        {list.items.map((s) => {
          const owner = s.app.owner ? `${s.app.owner.name} (${s.app.owner.email})` : s.app.ownerId;
          const label = `${s.app.name} → ${s.product.name}`;
          return (
            <li key={s.id} data-testid={`queue-${s.app.id}`} className="rounded-lg border border-slate-200 bg-white p-4">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0 text-sm">
                  <p>
                    <Link href={`/admin/apps/${s.app.id}`} className="font-medium text-brand-700 hover:underline">
                      {s.app.name}
                    </Link>{" "}
                    → <strong>{s.product.name}</strong> <StatusBadge status={s.status} />
                  </p>
                  <p className="break-words text-slate-500">
                    by {owner} · requested {formatDate(s.createdAt)}
                  </p>
                  {s.reason ? <p className="text-slate-600">Reason: {s.reason}</p> : null}
                  {s.earlierDecision ? (
                    <p data-testid="earlier-decision" className="text-amber-800">
                      Asked again after it was {s.earlierDecision.status}
                      {s.earlierDecision.reason ? `: ${s.earlierDecision.reason}` : ""}
                    </p>
                  ) : null}
                </div>
                <div className="flex flex-wrap items-start gap-2">
                  {status !== "approved" ? <Approve subscription={s} label={label} onDone={refresh} /> : null}
                  {status === "pending" || status === "approved" ? (
                    <ConfirmAction
                      action={decideSubscriptionAction}
                      fields={{ subscriptionId: s.id, decision: status === "pending" ? "reject" : "revoke", label }}
                      label={status === "pending" ? "Reject…" : "Revoke…"}
                      confirm={status === "pending" ? "Reject" : "Revoke"}
                      consequence={
                        status === "pending"
                          ? `Reject ${s.app.name}'s request for ${s.product.name}? ${owner} sees your reason and may ask again.`
                          : `Revoke ${s.app.name}'s access to ${s.product.name}? Its calls to the product are refused at once.`
                      }
                      onDone={refresh}
                    >
                      <label className="mt-2 block">
                        Reason (shown to the developer)
                        <input name="reason" className={inputClass} required maxLength={500} />
                      </label>
                    </ConfirmAction>
                  ) : null}
                </div>
              </div>
            </li>
          );
        })}
      </ul>
      <LoadMore list={list} />
    </div>
  );
}

function Approve({ subscription, label, onDone }: { subscription: Row; label: string; onDone: () => void }) {
  const [result, action, pending] = useActionState(decideSubscriptionAction, null);
  useAfterResult(result, onDone);
  return (
    <form action={action}>
      <input type="hidden" name="subscriptionId" value={subscription.id} />
      <input type="hidden" name="decision" value="approve" />
      <input type="hidden" name="label" value={label} />
      <button type="submit" className={buttonClass} disabled={pending}>
        Approve
      </button>
      <ActionNote result={result} />
    </form>
  );
}
