// Webhook endpoints of a developer or of a team: the list, the "Add endpoint" form, and per
// endpoint its secret, delivery log with Replay, "Send test event", enable/disable and delete.
// Native forms (they work before any script loads) posting to /account/webhooks/actions. A team
// page renders <WebhookEndpointList teamId={…} basePath={its own path} />; each endpoint, a
// developer's or a team's, has its page at /account/webhooks/{id} (owners and admins only).
import Link from "next/link";
import { EVENT_TYPES } from "@/lib/notifications/catalogue";
import type { DeliveryView, WebhookView } from "@/lib/portal/webhooks";
import { buttonClass, Card, dangerButtonClass, Empty, formatDate, inputClass, secondaryButtonClass, StatusBadge } from "@/components/ui/basics";

const ACTION = "/account/webhooks/actions";

function Hidden({ values }: { values: Record<string, string> }) {
  return Object.entries(values).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
}

export function WebhookEndpointList({ items, basePath, teamId }: { items: WebhookView[]; basePath: string; teamId?: string }) {
  return (
    <div className="space-y-6">
      {items.length === 0 ? (
        <Empty>No webhook endpoints yet.</Empty>
      ) : (
        <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white" data-testid="webhook-endpoints">
          {items.map((w) => (
            <li key={w.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
              <Link href={`/account/webhooks/${w.id}`} className="min-w-0 break-all text-brand-700 underline">
                {w.url}
              </Link>
              <span className="text-sm text-slate-600">
                {w.events.length ? w.events.join(", ") : "all events"} · <StatusBadge status={w.active ? "active" : "disabled"} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <Card title="Add an endpoint">
        <form method="post" action={ACTION} className="space-y-3">
          <Hidden values={{ intent: "create", back: basePath, ...(teamId ? { teamId } : {}) }} />
          <label className="block text-sm font-medium">
            URL (https)
            <input name="url" type="url" required placeholder="https://example.com/webhooks/gatehouse" className={inputClass} />
          </label>
          <fieldset>
            <legend className="text-sm font-medium">Events (none ticked: all)</legend>
            <div className="mt-1 grid grid-cols-1 gap-1 sm:grid-cols-2">
              {EVENT_TYPES.map((type) => (
                <label key={type} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="events" value={type} />
                  <code>{type}</code>
                </label>
              ))}
            </div>
          </fieldset>
          <button type="submit" className={buttonClass}>
            Add endpoint
          </button>
        </form>
      </Card>
    </div>
  );
}

export function WebhookEndpointDetail({ endpoint, deliveries, basePath }: { endpoint: WebhookView; deliveries: DeliveryView[]; basePath: string }) {
  const here = `${basePath}/${endpoint.id}`;
  const common = { webhookId: endpoint.id, back: here };
  return (
    <div className="space-y-6">
      <Card title="Endpoint">
        <dl className="grid grid-cols-1 gap-x-3 gap-y-1 text-sm sm:grid-cols-[9rem_1fr]">
          <dt className="text-slate-500">URL</dt>
          <dd className="break-all">{endpoint.url}</dd>
          <dt className="text-slate-500">Events</dt>
          <dd className="break-words">{endpoint.events.length ? endpoint.events.join(", ") : "all events"}</dd>
          <dt className="text-slate-500">Status</dt>
          <dd>
            <StatusBadge status={endpoint.active ? "active" : "disabled"} />
          </dd>
          <dt className="text-slate-500">Signing secret</dt>
          <dd>
            <code className="break-all" data-testid="webhook-secret">
              {endpoint.secret}
            </code>
            <p className="text-xs text-slate-500">
              Verify each request as Standard Webhooks describes: HMAC-SHA256 of <code>webhook-id.webhook-timestamp.body</code> under the base64 key after <code>whsec_</code>,
              compared with <code>webhook-signature</code> (<code>v1,…</code>).
            </p>
          </dd>
        </dl>
        <div className="mt-4 flex flex-wrap gap-2">
          <form method="post" action={ACTION}>
            <Hidden values={{ ...common, intent: "test" }} />
            <button type="submit" className={secondaryButtonClass}>
              Send test event
            </button>
          </form>
          <form method="post" action={ACTION}>
            <Hidden values={{ ...common, intent: "toggle", active: endpoint.active ? "false" : "true" }} />
            <button type="submit" className={secondaryButtonClass}>
              {endpoint.active ? "Disable" : "Enable"}
            </button>
          </form>
          <form method="post" action={ACTION}>
            <Hidden values={{ ...common, intent: "delete", afterDelete: basePath }} />
            <button type="submit" className={dangerButtonClass}>
              Delete endpoint
            </button>
          </form>
        </div>
      </Card>
      <Card title="Deliveries">
        <p className="mb-3 text-sm text-slate-600">
          Failed sends are retried with growing waits. <strong>Replay</strong> on a delivery that was given up tries it again with the same <code>webhook-id</code>; on one that was
          sent, it sends the event again as a new delivery with a new <code>webhook-id</code>, so your receiver processes it again.
        </p>
        {deliveries.length === 0 ? (
          <Empty>Nothing sent to this endpoint yet.</Empty>
        ) : (
          <ul className="divide-y divide-slate-200" data-testid="webhook-deliveries">
            {deliveries.map((d) => (
              <li key={d.id} className="flex flex-wrap items-start justify-between gap-2 py-2 text-sm">
                <div className="min-w-0 flex-1">
                  <p className="flex flex-wrap items-center gap-2">
                    <code className="break-all">{d.type}</code>
                    <StatusBadge status={d.status} />
                  </p>
                  <p className="break-all text-xs text-slate-600">{d.webhookId}</p>
                  <p className="text-slate-700">
                    {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"} · answer {d.responseStatus ?? "—"} · {formatDate(d.sentAt ?? d.createdAt)}
                    {d.nextAttemptAt ? ` · next try ${formatDate(d.nextAttemptAt)}` : ""}
                  </p>
                  {d.lastError ? <p className="break-words text-xs text-red-700">{d.lastError}</p> : null}
                </div>
                {d.status !== "pending" ? (
                  <form method="post" action={ACTION}>
                    <Hidden values={{ ...common, intent: "replay", deliveryId: d.id }} />
                    <button type="submit" className={secondaryButtonClass} aria-label={`Replay ${d.type} ${d.webhookId}`}>
                      Replay
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
