import Link from "next/link";

/** The footer on every page: where to go next when a page ends. */
export function SiteFooter() {
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-6 text-sm text-slate-600 sm:px-6">
        <p>Powered by Gatehouse</p>
        <nav aria-label="Footer" className="flex flex-wrap gap-4">
          <Link href="/catalog" className="hover:text-brand-700">
            API catalog
          </Link>
          <Link href="/guides" className="hover:text-brand-700">
            Guides
          </Link>
          <Link href="/terms" className="hover:text-brand-700">
            Terms of use
          </Link>
          <a href="/api/v1/openapi.json" className="hover:text-brand-700">
            Management API (OpenAPI)
          </a>
        </nav>
      </div>
    </footer>
  );
}
