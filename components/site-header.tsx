import Link from "next/link";

/** The header on every page. Sign in / sign up become real with the developer portal (issue #4). */
export function SiteHeader() {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl items-center justify-between px-6 py-4">
        <Link href="/" className="flex items-center gap-2 text-lg font-semibold text-brand-900">
          <span aria-hidden className="inline-block h-6 w-6 rounded bg-brand-600" />
          Gatehouse
        </Link>
        <nav aria-label="Account" className="flex items-center gap-3 text-sm">
          <span
            aria-disabled="true"
            title="Sign-in opens with the developer portal"
            className="cursor-not-allowed rounded px-3 py-2 text-slate-400"
          >
            Sign in
          </span>
          <span
            aria-disabled="true"
            title="Sign-up opens with the developer portal"
            className="cursor-not-allowed rounded bg-slate-200 px-3 py-2 text-slate-500"
          >
            Sign up
          </span>
        </nav>
      </div>
    </header>
  );
}
