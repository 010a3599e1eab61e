// The event catalogue: every event a developer or a team can be told about, the same for all
// three channels (email, the in-portal list, webhooks). A webhook's `type` is the key here.
export const EVENT_TYPES = [
  "app.suspended",
  "app.reactivated",
  "app.revoked",
  "subscription.approved",
  "subscription.rejected",
  "subscription.revoked",
  "credential.expiring",
  "credential.revoked",
  "quota.threshold",
  "bot.detected",
  "api.deprecated",
  "api.sunset",
  "team.invitation",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: unknown): value is EventType {
  return typeof value === "string" && (EVENT_TYPES as readonly string[]).includes(value);
}
