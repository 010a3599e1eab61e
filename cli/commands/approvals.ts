// gatehouse approvals: the subscription queue of manual-approval products — approve, reject
// or revoke with a reason (rejecting or revoking cuts the app's tokens).
import { UsageError } from "../errors.ts";
import { listCommand, seg, type Command, type Group } from "../command.ts";
import { columnsOf } from "../output.ts";
import type { App, Subscription } from "./apps.ts";

type QueueEntry = Subscription & { createdAt: string; app: App & { owner?: { email: string } } };

const columns = columnsOf<QueueEntry>({
  subscription: "id",
  status: "status",
  product: (s) => s.product.slug,
  app: (s) => s.app.name,
  "app id": (s) => s.app.id,
  developer: (s) => s.app.owner?.email ?? s.app.ownerId,
  requested: "createdAt",
  reason: "reason",
});

const STATUSES = ["pending", "approved", "rejected", "revoked"] as const;

function decision(kind: "approve" | "reject" | "revoke"): Command {
  const needsReason = kind !== "approve";
  return {
    summary: { approve: "Approve a subscription", reject: "Reject a pending subscription", revoke: "Revoke a subscription (cuts the app's tokens)" }[kind],
    args: ["<subscriptionId>"],
    usage: needsReason ? '--reason "…"' : '[--reason "…"]',
    options: { reason: { type: "string" } },
    async run({ client, args, opts }) {
      const reason = opts.string("reason");
      if (needsReason && !reason?.trim()) throw new UsageError(`--reason is required to ${kind}`);
      const sub = await client.post<Subscription>(`/subscriptions/${seg(args[0]!)}/decision`, { decision: kind, ...(reason ? { reason } : {}) });
      return { data: sub, text: `Subscription ${sub.id} to ${sub.product.slug} is ${sub.status}` };
    },
  };
}

export const approvals: Group = {
  summary: "The approval queue: product subscriptions",
  commands: {
    list: listCommand<QueueEntry>("/subscriptions", columns, { summary: "List subscriptions (pending by default)", filters: { status: { choices: STATUSES } } }),
    approve: decision("approve"),
    reject: decision("reject"),
    revoke: decision("revoke"),
  },
};
