import { formRoute } from "@/lib/api/form-route";
import { webhookFormAction } from "@/lib/api/notification-forms";

/** The webhook forms (create, enable/disable, delete, send a test event, replay), for a developer's or a team's endpoints. */
export const POST = formRoute(webhookFormAction, { back: "/account/webhooks" });
