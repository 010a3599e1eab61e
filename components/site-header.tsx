import Link from "next/link";
import { currentViewer } from "@/lib/auth/viewer";
import { BrandMark } from "./brand-mark";

/** The header on every page: portal navigation, and sign in / up or the user's name + sign out. */
export async function SiteHeader() {
  const viewer = await currentViewer().catch(() => null);
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-6 px-6 py-4">
        <div className="flex items-center gap-6">
          <BrandMark />
          <nav aria-label="Portal" className="flex items-center gap-4 text-sm">
            <Link href="/catalog" className="text-slate-700 hover:text-brand-700">
              Catalog
            </Link>
            {viewer ? (
              <Link href="/apps" className="text-slate-700 hover:text-brand-700">
                My apps
              </Link>
            ) : null}
            {viewer ? (
              <Link href="/analytics" className="text-slate-700 hover:text-brand-700">
                Analytics
              </Link>
            ) : null}
            {viewer?.admin ? (
              <Link href="/admin" className="text-slate-700 hover:text-brand-700">
                Admin
              </Link>
            ) : null}
          </nav>
        </div>
        <nav aria-label="Account" className="flex items-center gap-3 text-sm">
          {viewer ? (
            <>
              <Link href="/account" data-testid="signed-in-as" className="text-slate-600 hover:text-brand-700">
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
      </div>
    </header>
  );
}
