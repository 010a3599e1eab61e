// Every page of the portal, in one list, for the checks that must cover them all (viewport
// widths and axe in e2e/browser/pages-a11y.spec.ts). It mirrors the README's portal table
// ("The portal in the browser"): a new page is one more line here.
//
// Paths may name the fixtures of e2e/harness/portal-fixtures.ts: {slug} (a public product),
// {appId} (the developer's app), {productId}, {proxyId}, {guideSlug} (a guide about the product),
// {teamId} (the developer's team), {invitationToken} (a pending invitation to it, for another address).

export type Who = "visitor" | "developer" | "admin";

export interface PortalPage {
  path: string;
  who: Who;
  /** The page answers 404 on purpose (the not-found page). */
  notFound?: boolean;
}

export const PORTAL_PAGES: PortalPage[] = [
  { path: "/", who: "visitor" },
  { path: "/signin", who: "visitor" },
  { path: "/signup", who: "visitor" },
  { path: "/catalog", who: "visitor" },
  { path: "/catalog/{slug}", who: "visitor" },
  { path: "/guides", who: "visitor" },
  { path: "/guides/{guideSlug}", who: "visitor" },
  { path: "/terms", who: "visitor" },
  { path: "/no-such-page", who: "visitor", notFound: true },
  { path: "/account", who: "developer" },
  { path: "/account/apps", who: "developer" },
  { path: "/account/webhooks", who: "developer" },
  { path: "/notifications", who: "developer" },
  { path: "/dev/mail", who: "visitor" },
  { path: "/catalog/{slug}", who: "developer" },
  { path: "/apps", who: "developer" },
  { path: "/apps/new", who: "developer" },
  { path: "/apps/{appId}", who: "developer" },
  { path: "/apps/{appId}/usage", who: "developer" },
  { path: "/analytics", who: "developer" },
  { path: "/teams", who: "developer" },
  { path: "/teams/{teamId}", who: "developer" },
  { path: "/teams/invitations/{invitationToken}", who: "visitor" },
  { path: "/teams/invitations/{invitationToken}", who: "developer" },
  { path: "/admin/approvals", who: "admin" },
  { path: "/admin/developers", who: "admin" },
  { path: "/admin/apps", who: "admin" },
  { path: "/admin/apps/{appId}", who: "admin" },
  { path: "/admin/tokens", who: "admin" },
  { path: "/admin/products", who: "admin" },
  { path: "/admin/products/new", who: "admin" },
  { path: "/admin/products/{productId}", who: "admin" },
  { path: "/admin/proxies", who: "admin" },
  { path: "/admin/proxies/new", who: "admin" },
  { path: "/admin/proxies/{proxyId}", who: "admin" },
  { path: "/admin/analytics", who: "admin" },
  { path: "/admin/bots", who: "admin" },
  { path: "/admin/audit", who: "admin" },
  { path: "/admin/api-keys", who: "admin" },
  { path: "/admin/branding", who: "admin" },
  { path: "/admin/guides", who: "admin" },
  { path: "/admin/guides/new", who: "admin" },
];

/** A page's path with its fixtures filled in. */
export function pagePath(page: PortalPage, fixtures: Record<string, string>): string {
  return page.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = fixtures[name];
    if (value === undefined) throw new Error(`no fixture "${name}" for ${page.path}`);
    return encodeURIComponent(value);
  });
}
