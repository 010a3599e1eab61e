// The native forms of the notification pages (/notifications, the webhook pages of an account
// or a team): each calls the same lib/portal function the API does, then goes back to the page.
import { field, type FormCall, type FormOutcome } from "./form-route.ts";
import { markNotificationsRead } from "../portal/notifications.ts";
import { createWebhook, deleteWebhook, replayWebhookDelivery, sendWebhookTest, updateWebhook } from "../portal/webhooks.ts";
import { PortalError } from "../portal/errors.ts";

export async function markReadFromForm({ ctx, actor, form }: FormCall<Record<string, never>>): Promise<FormOutcome> {
  const id = field(form, "id");
  const result = await markNotificationsRead(ctx, actor, id ? { ids: [id] } : { all: true });
  return { back: "/notifications", status: result.marked === 1 ? "Marked as read." : `${result.marked} marked as read.` };
}

/** Where a webhook form goes back to: the account's or a team's webhook pages, nowhere else. */
function backTo(form: FormData, fallback: string, name = "back"): string {
  const back = field(form, name);
  return /^\/(account\/webhooks|teams\/[\w-]+)(\/[\w-]+)*$/.test(back) ? back : fallback;
}

export async function webhookFormAction({ ctx, actor, form }: FormCall<Record<string, never>>): Promise<FormOutcome> {
  const intent = field(form, "intent");
  const id = field(form, "webhookId");
  const back = backTo(form, "/account/webhooks");
  switch (intent) {
    case "create": {
      const events = form.getAll("events").filter((e): e is string => typeof e === "string");
      const teamId = field(form, "teamId") || undefined;
      const created = await createWebhook(ctx, actor, { url: field(form, "url").trim(), events, ...(teamId ? { teamId } : {}) });
      return { back: `/account/webhooks/${created.id}`, status: "Endpoint created. Its signing secret is below." };
    }
    case "toggle": {
      const updated = await updateWebhook(ctx, actor, id, { active: field(form, "active") === "true" });
      return { back, status: updated.active ? "Endpoint enabled." : "Endpoint disabled: nothing is sent to it." };
    }
    case "delete":
      await deleteWebhook(ctx, actor, id);
      return { back: backTo(form, "/account/webhooks", "afterDelete"), status: "Endpoint deleted." };
    case "test": {
      await sendWebhookTest(ctx, actor, id);
      return { back, status: "Test event queued: it appears in the log below." };
    }
    case "replay": {
      const result = await replayWebhookDelivery(ctx, actor, id, field(form, "deliveryId"));
      const said = {
        reset: "The delivery will be tried again (same webhook-id).",
        created: "The event will be sent again as a new delivery (new webhook-id).",
        pending: "That delivery is still on its way.",
      };
      return { back, status: said[result.outcome] };
    }
    default:
      throw new PortalError("invalid", "Unknown action.");
  }
}
