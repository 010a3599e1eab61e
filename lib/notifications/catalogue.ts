// The event catalogue: every event a developer or a team can be told about, the same for all
// three channels (email, the in-portal list, webhooks). A webhook's `type` is the key here.
//
// The payload is the webhook's `data` as given; the words of email and the in-portal list
// (templates.ts) read these fields when present: appId, appName (every app event);
// productName or productSlug, reason (subscriptions, revocations, suspensions); clientId or
// credentialId, daysLeft, expiresAt (credentials); percent (80 | 100), limit (quota); rule
// (bots); apiName, version, sunsetAt, productSlug (deprecation and sunset); teamName,
// inviterName, role, acceptUrl (an absolute URL under PUBLIC_URL) for team invitations.
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
