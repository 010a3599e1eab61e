// gatehouse approvals: the subscription queue of manual-approval products — approve, reject
// or revoke with a reason (rejecting or revoking cuts the app's tokens).
import { parseChoice } from "../args.ts";
import { UsageError } from "../errors.ts";
import { listCommand, seg, type Command, type Group } from "../command.ts";
import type { Column } from "../output.ts";
import type { App, Subscription } from "./apps.ts";

type QueueEntry = Subscription & { createdAt: string; app: App & { owner?: { email: string } } };

const columns: Column<QueueEntry>[] = [
  { header: "subscription", value: (s) => s.id },
  { header: "status", value: (s) => s.status },
  { header: "product", value: (s) => s.product.slug },
  { header: "app", value: (s) => s.app.name },
  { header: "app id", value: (s) => s.app.id },
  { header: "developer", value: (s) => s.app.owner?.email ?? s.app.ownerId },
  { header: "requested", value: (s) => s.createdAt },
  { header: "reason", value: (s) => s.reason },
];

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
    list: listCommand<QueueEntry>("/subscriptions", columns, {
      summary: "List subscriptions (pending by default)",
      usage: "[--status pending|approved|rejected|revoked]",
      options: { status: { type: "string" } },
      query: (opts) => ({ status: opts.has("status") ? parseChoice("status", opts.string("status")!, STATUSES) : undefined }),
    }),
    approve: decision("approve"),
    reject: decision("reject"),
    revoke: decision("revoke"),
  },
};
