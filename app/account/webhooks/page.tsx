import type { Metadata } from "next";
import Link from "next/link";
import { requireViewer } from "@/lib/auth/viewer";
import { listWebhooks } from "@/lib/portal/webhooks";
import { TitledPage } from "@/components/ui/basics";
import { WebhookEndpointList } from "@/components/notifications/webhook-endpoints";
import { FormOutcomeNote } from "@/components/notifications/form-outcome-note";

export const metadata: Metadata = { title: "Webhooks" };

type Query = Promise<{ status?: string | string[]; error?: string | string[] }>;

/** The signed-in developer's own webhook endpoints (a team's are on the team's page). */
export default async function WebhooksPage({ searchParams }: { searchParams: Query }) {
  const { ctx, actor } = await requireViewer("/account/webhooks");
  const { items } = await listWebhooks(ctx, actor, {});
  return (
    <TitledPage title="Webhooks">
      <div className="space-y-4">
        <p className="text-sm text-slate-600">
          Gatehouse POSTs each event about your apps (the same ones you see under{" "}
          <Link href="/notifications" className="text-brand-700 underline">
            Notifications
          </Link>
          ) to these URLs, signed so that you can check it came from here.
        </p>
        <FormOutcomeNote {...await searchParams} />
        <WebhookEndpointList items={items} basePath="/account/webhooks" />
      </div>
    </TitledPage>
  );
}
