import type { Metadata } from "next";
import Link from "next/link";
import { orNotFound, requireViewer } from "@/lib/auth/viewer";
import { getWebhook, listWebhookDeliveries } from "@/lib/portal/webhooks";
import { TitledPage } from "@/components/ui/basics";
import { WebhookEndpointDetail } from "@/components/notifications/webhook-endpoints";
import { FormOutcomeNote } from "@/components/notifications/form-outcome-note";

export const metadata: Metadata = { title: "Webhook endpoint" };

type Query = Promise<{ status?: string | string[]; error?: string | string[] }>;

/** One endpoint: its secret, its delivery log with Replay, and "Send test event". */
export default async function WebhookPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Query }) {
  const { id } = await params;
  const { ctx, actor } = await requireViewer(`/account/webhooks/${id}`);
  const endpoint = await orNotFound(getWebhook(ctx, actor, id));
  const deliveries = await listWebhookDeliveries(ctx, actor, id, { limit: "50" });
  return (
    <TitledPage title="Webhook endpoint">
      <div className="space-y-4">
        <Link href={endpoint.teamId ? `/teams/${endpoint.teamId}` : "/account/webhooks"} className="text-sm text-brand-700 underline">
          All endpoints
        </Link>
        <FormOutcomeNote {...await searchParams} />
        <WebhookEndpointDetail endpoint={endpoint} deliveries={deliveries.items} basePath="/account/webhooks" />
      </div>
    </TitledPage>
  );
}
