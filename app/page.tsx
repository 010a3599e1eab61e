import Link from "next/link";
import { currentViewer } from "@/lib/auth/viewer";
import { featuredProducts } from "@/lib/portal/featured";
import { guidesAbout } from "@/lib/portal/guides";
import { portalContext } from "@/lib/portal/runtime";
import { currentBranding } from "@/components/portal/current-branding";
import { buttonClass } from "@/components/ui/basics";

const secondaryLink = "rounded border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50";

const STEPS = [
  ["Create an account", "Sign up with your email; your organisation's sign-in keeps it safe."],
  ["Register an app", "Pick the APIs it needs; you get a client ID and secret at once."],
  ["Make your first call", "Get a token and call the API, from the reference pages or your terminal."],
] as const;

export default async function HomePage() {
  const [branding, viewer] = await Promise.all([currentBranding(), currentViewer().catch(() => null)]);
  const ctx = viewer?.ctx ?? portalContext();
  const [featured, guides] = await Promise.all([featuredProducts(ctx).catch(() => []), guidesAbout(ctx, viewer?.actor ?? null, null).catch(() => [])]);
  return (
    <div className="space-y-12">
      <section className="space-y-4" aria-labelledby="home-title">
        {branding.logoUrl ? (
          // eslint-disable-next-line @next/next/no-img-element -- served by Gatehouse itself, any size
          <img src={branding.logoUrl} alt={`${branding.organisation} logo`} className="h-16 w-auto max-w-full object-contain" />
        ) : null}
        <h1 id="home-title" className="text-3xl font-bold tracking-tight break-words text-brand-900 sm:text-4xl">
          {branding.organisation} APIs
        </h1>
        <p className="max-w-3xl text-lg text-slate-600" data-testid="tagline">
          {branding.tagline || "Everything you need to build on our APIs: browse the catalog, register an app and make your first call in minutes."}
        </p>
        <p className="flex flex-wrap gap-3">
          <Link href="/catalog" className={buttonClass}>
            Browse the catalog
          </Link>
          {viewer ? (
            <Link href="/apps" className={secondaryLink}>
              My apps
            </Link>
          ) : (
            <Link href="/signup" className={secondaryLink}>
              Sign up
            </Link>
          )}
        </p>
      </section>

      {featured.length > 0 ? (
        <section aria-labelledby="featured-title" className="space-y-4">
          <h2 id="featured-title" className="text-xl font-semibold text-brand-900">
            Featured APIs
          </h2>
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {featured.map((product) => (
              <li key={product.id} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
                <h3 className="text-lg font-semibold">
                  <Link href={`/catalog/${product.slug}`} className="text-brand-700 hover:underline">
                    {product.name}
                  </Link>
                </h3>
                <p className="mt-2 line-clamp-3 text-sm text-slate-600">{product.description || "No description yet."}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="steps-title" className="space-y-4">
        <h2 id="steps-title" className="text-xl font-semibold text-brand-900">
          From sign-up to your first call
        </h2>
        <ol className="grid gap-4 md:grid-cols-3">
          {STEPS.map(([title, body], i) => (
            <li key={title} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
              <p className="text-sm font-semibold text-brand-700">Step {i + 1}</p>
              <h3 className="mt-1 font-semibold text-slate-900">{title}</h3>
              <p className="mt-2 text-sm leading-6 text-slate-600">{body}</p>
            </li>
          ))}
        </ol>
      </section>

      {guides.length > 0 ? (
        <section aria-labelledby="guides-title" className="space-y-3">
          <h2 id="guides-title" className="text-xl font-semibold text-brand-900">
            Guides
          </h2>
          <ul className="space-y-1">
            {guides.slice(0, 6).map((guide) => (
              <li key={guide.id}>
                <Link href={`/guides/${guide.slug}`} className="text-brand-700 underline hover:text-brand-900">
                  {guide.title}
                </Link>
              </li>
            ))}
          </ul>
          <p>
            <Link href="/guides" className="text-sm text-brand-700 underline hover:text-brand-900">
              All guides
            </Link>
          </p>
        </section>
      ) : null}
    </div>
  );
}
