// What each event says, the same words for all three channels: a title (email subject, list
// entry), a plain-text body, a link into the portal (absolute, from PUBLIC_URL) and a simple
// HTML email in which everything taken from the payload is escaped.
import { isEventType, type EventType } from "./catalogue.ts";

export interface RenderedEvent {
  title: string;
  body: string;
  /** Absolute URL of the page the event is about, or null. */
  link: string | null;
}

export interface RenderedEmail extends RenderedEvent {
  subject: string;
  text: string;
  html: string;
}

type Payload = Record<string, unknown>;

const str = (value: unknown, fallback: string): string => (typeof value === "string" && value.trim() ? value : typeof value === "number" ? String(value) : fallback);
const appName = (p: Payload) => str(p.appName, "your app");
const productName = (p: Payload) => str(p.productName ?? p.productSlug, "an API product");
const reason = (p: Payload) => (typeof p.reason === "string" && p.reason.trim() ? ` Reason: ${p.reason}` : "");
const appPath = (p: Payload) => (typeof p.appId === "string" ? `/apps/${encodeURIComponent(p.appId)}` : "/apps");

/** Per type: title, body and the portal path (or an absolute URL the payload gives). */
const TEMPLATES: Record<EventType, (p: Payload) => { title: string; body: string; path: string | null }> = {
  "app.suspended": (p) => ({
    title: `App ${appName(p)} suspended`,
    body: `An administrator suspended ${appName(p)}; its credentials are refused until it is reactivated.${reason(p)}`,
    path: appPath(p),
  }),
  "app.reactivated": (p) => ({ title: `App ${appName(p)} reactivated`, body: `${appName(p)} is active again; its credentials work as before.`, path: appPath(p) }),
  "app.revoked": (p) => ({ title: `App ${appName(p)} revoked`, body: `An administrator revoked ${appName(p)} and every token issued to it.${reason(p)}`, path: appPath(p) }),
  "subscription.approved": (p) => ({ title: `${productName(p)} approved for ${appName(p)}`, body: `${appName(p)} may now call ${productName(p)}.`, path: appPath(p) }),
  "subscription.rejected": (p) => ({
    title: `${productName(p)} rejected for ${appName(p)}`,
    body: `The request of ${appName(p)} for ${productName(p)} was rejected.${reason(p)}`,
    path: appPath(p),
  }),
  "subscription.revoked": (p) => ({
    title: `${productName(p)} revoked for ${appName(p)}`,
    body: `${appName(p)} may no longer call ${productName(p)}.${reason(p)}`,
    path: appPath(p),
  }),
  "credential.expiring": (p) => {
    const days = typeof p.daysLeft === "number" ? p.daysLeft : null;
    const when = days === null ? "soon" : days <= 1 ? "within a day" : `in ${days} days`;
    return {
      title: `A credential of ${appName(p)} expires ${when}`,
      body: `The credential ${str(p.clientId ?? p.credentialId, "")}${p.expiresAt ? ` expires at ${str(p.expiresAt, "")}` : ` expires ${when}`}. Renew it in the portal before it stops working.`.replace(
        "credential  ",
        "credential ",
      ),
      path: appPath(p),
    };
  },
  "credential.revoked": (p) => ({
    title: `A credential of ${appName(p)} was revoked`,
    body: `An administrator revoked the credential ${str(p.clientId ?? p.credentialId, "")} of ${appName(p)}.${reason(p)}`.replace("credential  ", "credential "),
    path: appPath(p),
  }),
  "quota.threshold": (p) => ({
    title: `${appName(p)} used ${str(p.percent, "most")} % of its quota`,
    body: `${appName(p)} has used ${str(p.percent, "most")} % of its quota for ${productName(p)}${typeof p.limit === "number" ? ` (${p.limit} calls)` : ""}.${p.percent === 100 ? " Calls are refused until the quota resets." : ""}`,
    path: appPath(p),
  }),
  "bot.detected": (p) => ({
    title: `Bot traffic detected on ${appName(p)}`,
    body: `Gatehouse detected automated traffic on ${appName(p)}${p.rule ? ` (${str(p.rule, "")})` : ""}.`,
    path: appPath(p),
  }),
  "api.deprecated": (p) => ({
    title: `${str(p.apiName ?? p.productName, "An API")} ${str(p.version, "")} is deprecated`.replace("  ", " "),
    body: `${appName(p)} is pinned to ${str(p.apiName ?? p.productName, "an API")} ${str(p.version, "")}, which is deprecated${p.sunsetAt ? `; it stops working at ${str(p.sunsetAt, "")}` : ""}. Move to a newer version.`,
    path: typeof p.productSlug === "string" ? `/catalog/${encodeURIComponent(p.productSlug)}` : appPath(p),
  }),
  "api.sunset": (p) => ({
    title: `${str(p.apiName ?? p.productName, "An API")} ${str(p.version, "")} is sunset`.replace("  ", " "),
    body: `${str(p.apiName ?? p.productName, "An API")} ${str(p.version, "")} no longer answers calls of ${appName(p)}. Move to a newer version.`,
    path: typeof p.productSlug === "string" ? `/catalog/${encodeURIComponent(p.productSlug)}` : appPath(p),
  }),
  "team.invitation": (p) => ({
    title: `You are invited to join ${str(p.teamName, "a team")} on Gatehouse`,
    body: `${str(p.inviterName, "A team member")} invited you to the team ${str(p.teamName, "")} as ${str(p.role, "a member")}. Accept the invitation to see the team's apps.`.replace(
      "team  as",
      "team as",
    ),
    path: typeof p.acceptUrl === "string" ? p.acceptUrl : "/teams",
  }),
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** An absolute http(s) URL: a path under PUBLIC_URL, or a payload's absolute URL when it is on PUBLIC_URL's origin. */
function absolute(path: string | null, publicUrl: string): string | null {
  if (!path) return null;
  if (path.startsWith("/")) return publicUrl + path;
  try {
    const url = new URL(path);
    // never a link elsewhere (a payload is data, not a place to send people)
    return url.origin === new URL(publicUrl).origin ? url.toString() : null;
  } catch {
    return null;
  }
}

export function renderEvent(type: string, payload: Payload, publicUrl: string): RenderedEvent {
  if (!isEventType(type)) return { title: `Gatehouse event ${type}`, body: "", link: null };
  const { title, body, path } = TEMPLATES[type](payload);
  return { title, body, link: absolute(path, publicUrl) };
}

export function renderEmail(type: string, payload: Payload, publicUrl: string): RenderedEmail {
  const event = renderEvent(type, payload, publicUrl);
  const action = type === "team.invitation" ? "Accept the invitation" : "Open in the portal";
  const text = [event.body, "", ...(event.link ? [`${action}: ${event.link}`, ""] : []), `— Gatehouse, ${publicUrl}`, `Manage notifications: ${publicUrl}/notifications`].join(
    "\n",
  );
  const html = [
    "<!doctype html>",
    `<html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#0f172a">`,
    `<h1 style="font-size:18px">${escapeHtml(event.title)}</h1>`,
    `<p>${escapeHtml(event.body)}</p>`,
    event.link ? `<p><a href="${escapeHtml(event.link)}">${escapeHtml(action)}</a></p>` : "",
    `<p style="color:#64748b;font-size:12px">Gatehouse, <a href="${escapeHtml(publicUrl)}">${escapeHtml(publicUrl)}</a></p>`,
    "</body></html>",
  ].join("\n");
  return { ...event, subject: event.title, text, html };
}
