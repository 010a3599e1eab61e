import Link from "next/link";
import type { ReactNode } from "react";
import { currentViewer, type Viewer } from "@/lib/auth/viewer";
import { getConfig } from "@/lib/config";
import { devInboxDir } from "@/lib/notifications/dev-inbox";
import { unreadNotificationCount } from "@/lib/portal/notifications";
import { BrandMark } from "./brand-mark";
import { MenuDisclosure } from "./menu-disclosure";

const navLink = "rounded px-2 py-2 text-slate-700 hover:text-brand-700";

/** The header on every page: portal navigation, and sign in / up or the user's name + sign out.
 * Below 768px both navigations fold into a "Menu" disclosure (a native <details>, so it opens
 * before any script has loaded). */
export async function SiteHeader() {
  const viewer = await currentViewer().catch(() => null);
  const unread = viewer ? await unreadNotificationCount(viewer.ctx, viewer.actor).catch(() => 0) : 0;
  // the development mail catcher's inbox, only where it runs (never with a real SMTP_URL)
  const devMail = devInboxDir(getConfig()) !== null;
  return (
    <header className="relative border-b border-slate-200 bg-white">
      <a href="#main" className="sr-only rounded bg-brand-600 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50">
        Skip to content
      </a>
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 sm:px-6 md:gap-6 md:py-4">
        <div className="flex min-w-0 items-center gap-6">
          <BrandMark />
          <PortalNav viewer={viewer} className="hidden items-center gap-2 text-sm md:flex" />
        </div>
        <AccountNav viewer={viewer} unread={unread} devMail={devMail} className="hidden items-center gap-3 text-sm md:flex" testIds />
        <MenuDisclosure>
          <PortalNav viewer={viewer} className="flex flex-col text-base" />
          <AccountNav viewer={viewer} unread={unread} devMail={devMail} className="mt-2 flex flex-col items-start gap-2 border-t border-slate-200 pt-3 text-base" />
        </MenuDisclosure>
      </div>
    </header>
  );
}

function PortalNav({ viewer, className }: { viewer: Viewer | null; className: string }) {
  const links: [string, ReactNode][] = [["/catalog", "Catalog"]];
  if (viewer) links.push(["/apps", "My apps"], ["/teams", "Teams"], ["/analytics", "Analytics"]);
  if (viewer?.admin) links.push(["/admin", "Admin"]);
  return (
    <nav aria-label="Portal" className={className}>
      {links.map(([href, label]) => (
        <Link key={href} href={href} className={navLink}>
          {label}
        </Link>
      ))}
    </nav>
  );
}

/** `testIds`: only one of the two copies (wide and folded) carries them. */
function AccountNav({ viewer, unread, devMail, className, testIds }: { viewer: Viewer | null; unread: number; devMail: boolean; className: string; testIds?: boolean }) {
  return (
    <nav aria-label="Account" className={className}>
      {devMail ? (
        <Link href="/dev/mail" className="rounded px-2 py-2 text-slate-500 hover:text-brand-700" title="Email sent by this development instance">
          Dev mail
        </Link>
      ) : null}
      {viewer ? (
        <>
          <Link href="/notifications" data-testid={testIds ? "notifications-link" : undefined} className="rounded px-2 py-2 text-slate-700 hover:text-brand-700">
            Notifications
            {unread > 0 ? (
              <span className="ml-1 rounded-full bg-brand-600 px-2 py-0.5 text-xs font-medium text-white" data-testid={testIds ? "unread-count" : undefined}>
                {unread > 99 ? "99+" : unread}
                <span className="sr-only"> unread</span>
              </span>
            ) : null}
          </Link>
          <Link href="/account" data-testid={testIds ? "signed-in-as" : undefined} className="rounded px-2 py-2 break-all text-slate-600 hover:text-brand-700">
            {viewer.developer.name}
          </Link>
          <form method="post" action="/auth/signout">
            <button type="submit" className="rounded px-3 py-2 text-slate-700 hover:bg-slate-100">
              Sign out
            </button>
          </form>
        </>
      ) : (
        <>
          <Link href="/signin" className="rounded px-3 py-2 text-slate-700 hover:bg-slate-100">
            Sign in
          </Link>
          <Link href="/signup" className="rounded bg-brand-600 px-3 py-2 font-medium text-white hover:bg-brand-700">
            Sign up
          </Link>
        </>
      )}
    </nav>
  );
}
